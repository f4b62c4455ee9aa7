/**
 * `npm run bench -- [--only=a,b] [--engine=sqlite|postgres|both] [--warmup=1] [--duration=3] [--runs=5]`.
 * A section someone asks for brings its baseline along: reads need the hello world, claims the raw
 * claim transaction, since a ratio without its baseline says nothing.
 */
import type { Engine } from './scratch.ts'

export const SECTIONS = [
  'baseline',
  'reads',
  'raw',
  'claims',
  'flash',
  'redeem',
  'funnel',
  'paint',
  'weight',
  'startup',
] as const
export type Section = (typeof SECTIONS)[number]

/** Sections that run once per engine, against that engine's Kaquan server. */
export const ENGINE_SECTIONS: readonly Section[] = ['reads', 'raw', 'claims', 'flash', 'redeem', 'funnel']
/** Sections that need a Kaquan server but not a particular engine: they run with the first. */
export const SERVER_SECTIONS: readonly Section[] = ['paint', 'weight']

const NEEDS: Partial<Record<Section, Section>> = { reads: 'baseline', claims: 'raw' }

export interface Options {
  sections: Set<Section>
  engines: Engine[]
  warmupMs: number
  durationMs: number
  /** Landing paint: fresh pages per variant. */
  runs: number
}

export class UsageError extends Error {}

function seconds(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0 || n > 60) throw new UsageError(`${flag} must be a number of seconds (0-60)`)
  return Math.round(n * 1000)
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): Options {
  const o: Options = {
    sections: new Set(SECTIONS),
    engines: ['sqlite', 'postgres'],
    warmupMs: 1000,
    durationMs: 3000,
    runs: Number(env.BENCH_RUNS ?? 5),
  }
  for (const arg of argv) {
    const [flag, value = ''] = arg.split('=', 2) as [string, string?]
    if (flag === '--only') {
      const asked = value.split(',').filter(Boolean)
      const unknown = asked.filter(s => !(SECTIONS as readonly string[]).includes(s))
      if (!asked.length || unknown.length)
        throw new UsageError(
          `--only takes sections from ${SECTIONS.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        )
      o.sections = new Set(asked as Section[])
      for (const s of asked as Section[]) if (NEEDS[s]) o.sections.add(NEEDS[s]!)
    } else if (flag === '--engine') {
      if (value === 'both') o.engines = ['sqlite', 'postgres']
      else if (value === 'sqlite' || value === 'postgres') o.engines = [value]
      else throw new UsageError('--engine must be sqlite, postgres or both')
    } else if (flag === '--warmup') o.warmupMs = seconds(value, flag)
    else if (flag === '--duration') o.durationMs = seconds(value, flag)
    else if (flag === '--runs') {
      o.runs = Number(value)
      if (!Number.isInteger(o.runs) || o.runs < 1) throw new UsageError('--runs must be a whole number >= 1')
    } else throw new UsageError(`unknown argument ${arg}`)
  }
  return o
}
