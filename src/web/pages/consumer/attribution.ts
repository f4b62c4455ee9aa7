import type { LocationQuery } from 'vue-router'
import type { Attribution } from '../../../shared/api/common.ts'
import { patterns } from '../../../shared/patterns.ts'

const shapes = { ch: patterns.channel, ref: patterns.ref, store: patterns.id } as const

/** The channel, sharer and store a visitor arrived with, from the link's query; anything malformed is dropped. */
export function attributionFrom(query: LocationQuery): Attribution {
  const picked: Attribution = {}
  for (const k of ['ch', 'ref', 'store'] as const) {
    const v = query[k]
    if (typeof v === 'string' && shapes[k].test(v)) picked[k] = v
  }
  return picked
}
