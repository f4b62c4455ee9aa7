/**
 * The 数据 page's funnel: one query (range and filters) answered for every grouping at once, the
 * days for the totals and the line chart, the others for the tables. A newer query wins: an
 * answer to an older one that arrives late is dropped.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { FunnelGrouping, FunnelQuery, FunnelResponse } from '../../shared/api/analytics.ts'
import { fetchFunnel } from '../api/console.ts'

export type FunnelFilters = Omit<FunnelQuery, 'groupBy'>
export const tableGroupings = ['channel', 'store', 'offer', 'sharer'] as const satisfies readonly FunnelGrouping[]
type Answers = Record<FunnelGrouping, FunnelResponse>

export const useConsoleFunnelStore = defineStore('console-funnel', () => {
  const answers = ref<Answers | null>(null)
  /** The query the answers are for. */
  const query = ref<FunnelFilters | null>(null)
  let asked = 0

  async function load(merchantId: string, filters: FunnelFilters) {
    const mine = ++asked
    const groupings = ['day', ...tableGroupings] as const
    const got = await Promise.all(groupings.map(groupBy => fetchFunnel(merchantId, { ...filters, groupBy })))
    if (mine !== asked) return
    answers.value = Object.fromEntries(groupings.map((g, i) => [g, got[i]!])) as Answers
    query.value = { ...filters }
  }

  function forget() {
    asked++
    answers.value = null
    query.value = null
  }

  return { answers, query, load, forget }
})
