/**
 * What every section hands back, and how it is printed: a block of detail, targets for the summary
 * (value, baseline, ratio, goal, met) and plain data for the JSON. A target without a goal is
 * shown for information (met = null).
 */
import type { Load } from './load/drive.ts'
import type { Engine } from './scratch.ts'

export interface Target {
  section: string
  engine: Engine | null
  measure: string
  value: number
  unit: string
  baseline: { value: number; unit: string; what: string } | null
  ratio: number | null
  goal: string
  met: boolean | null
}

export interface SectionResult {
  name: string
  engine: Engine | null
  text: string
  targets: Target[]
  data: unknown
}

export const kb = (bytes: number) => (bytes / 1024).toFixed(1)
export const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : String(Math.round(x))) : '—')
export const ratio = (x: number | null) => (x !== null && Number.isFinite(x) ? x.toFixed(2) : '—')
export const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—')
export const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—')

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(head: string[], rows: string[][], indent = '  '): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    indent +
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('   ')
      .trimEnd()
  return [line(head), indent + widths.map(w => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n')
}

type Base = Pick<Target, 'section' | 'engine' | 'measure'>

/** value / baseline ≥ goal. */
export function ratioAtLeast(
  t: Base,
  value: number,
  unit: string,
  baseline: NonNullable<Target['baseline']>,
  goal: number,
): Target {
  const r = value / baseline.value
  return { ...t, value, unit, baseline, ratio: r, goal: `>= ${goal.toFixed(2)}x`, met: Number.isFinite(r) && r >= goal }
}

/** value / baseline ≤ goal. */
export function ratioAtMost(
  t: Base,
  value: number,
  unit: string,
  baseline: NonNullable<Target['baseline']>,
  goal: number,
): Target {
  const r = value / baseline.value
  return { ...t, value, unit, baseline, ratio: r, goal: `<= ${goal.toFixed(2)}x`, met: Number.isFinite(r) && r <= goal }
}

/** value ≤ limit (an absolute goal: p99 latency, bytes). */
export function atMost(t: Base, value: number, unit: string, limit: number, limitText = `${limit} ${unit}`): Target {
  return {
    ...t,
    value,
    unit,
    baseline: null,
    ratio: null,
    goal: `<= ${limitText}`,
    met: Number.isFinite(value) && value <= limit,
  }
}

/** A yes/no check; the value is shown as given. */
export function check(t: Base, ok: boolean, value: number, unit: string, goal: string): Target {
  return { ...t, value, unit, baseline: null, ratio: null, goal, met: ok }
}

export function info(t: Base, value: number, unit: string, baseline: Target['baseline'] = null): Target {
  return { ...t, value, unit, baseline, ratio: baseline ? value / baseline.value : null, goal: '', met: null }
}

const shown = (value: number, unit: string) =>
  unit === 'KB' ? `${kb(value)} KB` : unit === 'ms' ? `${ms(value)} ms` : unit ? `${int(value)} ${unit}` : int(value)

export function summaryTable(targets: Target[]): string {
  return table(
    ['measurement', 'engine', 'value', 'baseline', 'ratio', 'goal', 'result'],
    targets.map(t => [
      t.measure,
      t.engine ?? '',
      shown(t.value, t.unit),
      t.baseline ? `${shown(t.baseline.value, t.baseline.unit)} ${t.baseline.what}` : '',
      ratio(t.ratio),
      t.goal,
      t.met === null ? '' : t.met ? 'met' : 'NOT met',
    ]),
  )
}

/** One row per load phase: rate, latency, failures, and who was busy. */
export function loadRow(label: string, l: Load, base?: number): string[] {
  const failed = Object.entries(l.statuses).filter(([k]) => !l.expected.includes(k))
  return [
    label,
    int(l.rps),
    ms(l.p50),
    ms(l.p99),
    l.failed ? failed.map(([k, v]) => `${v} ${k}`).join(', ') || String(l.failed) : '0',
    pct(l.serverCpu),
    l.generatorCpu.map(pct).join('+'),
    pct(l.restCpu),
    base === undefined ? '' : ratio(l.rps / base),
  ]
}

/** CPU columns are fractions of one core over the measured window; "rest" is the rest of the machine. */
export const LOAD_HEAD = ['phase', 'per s', 'p50 ms', 'p99 ms', 'not ok', 'server CPU', 'gen CPU', 'rest CPU', 'ratio']

/** The JSON form of a load phase (no histogram buckets). */
export function loadData(l: Load) {
  return {
    perSecond: l.rps,
    ok: l.ok,
    failed: l.failed,
    statuses: l.statuses,
    p50Ms: l.p50,
    p90Ms: l.histogram.percentile(0.9),
    p99Ms: l.p99,
    maxMs: l.histogram.max,
    windowMs: l.windowMs,
    serverCpu: l.serverCpu,
    restCpu: l.restCpu,
    generatorCpu: l.generatorCpu,
    sent: l.sent,
    itemsReused: l.wrapped,
    socketErrors: l.socketErrors,
  }
}
