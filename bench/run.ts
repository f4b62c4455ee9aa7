/**
 * `npm run bench`: builds the site, then measures
 *   1. landing paint on a throttled phone (static HTML vs SSR vs client-rendered),
 *   2. landing weight (gzip -9 JS+CSS the landing loads) against its budget,
 *   3. API throughput against GET /healthz,
 * and prints every number as a ratio to a baseline measured in this same run. Nothing here
 * asserts on time: the bench reports, people judge. It exits 0 unless it could not measure.
 */
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { demo } from '../src/server/db/seed.ts'
import { startTestApp, type TestApp } from '../tests/helpers/app.ts'
import { measureApi, type Phase } from './api.ts'
import { type LandingResult, measureLanding, throttle, type VariantKey } from './landing.ts'
import { BUDGET_BYTES, measureWeight, type WeightResult } from './weight.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const API = { concurrency: 20, warmupMs: 500, durationMs: 3_000 }
const SSR_GOAL = 1.5
const WATCHDOG_MS = 240_000

const log = (s: string) => process.stderr.write(`${s}\n`)
const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const ms = (x: number) => String(Math.round(x))
const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—')

/** A plain-text table: first column left-aligned, the rest right-aligned. */
function table(head: string[], rows: string[][], indent = '  '): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    indent +
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('   ')
      .trimEnd()
  return [line(head), indent + widths.map(w => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n')
}

function landingSection(l: LandingResult): { text: string; ratios: Record<VariantKey, number> } {
  const base = l.variants.static.median.paint
  const ratios = {
    static: 1,
    ssr: l.variants.ssr.median.paint / base,
    csr: l.variants.csr.median.paint / base,
    direct: l.variants.direct.median.paint / base,
  }
  const rows = (['static', 'ssr', 'csr', 'direct'] as const).map(k => {
    const v = l.variants[k]
    const paints = v.samples.map(s => s.paint)
    const goal =
      k === 'static'
        ? 'baseline'
        : k === 'ssr'
          ? `<= ${SSR_GOAL.toFixed(2)} ${ratios.ssr <= SSR_GOAL ? 'met' : 'NOT met'}`
          : k === 'direct'
            ? 'check: ~ b'
            : ''
    return [
      v.label,
      ms(v.median.paint),
      `${ms(Math.min(...paints))}-${ms(Math.max(...paints))}`,
      ms(v.median.fcp),
      ms(v.median.title),
      ratio(ratios[k]),
      goal,
    ]
  })
  const text = [
    `1. LANDING PAINT  /o/${demo.offers.cash}, iPhone WeChat UA, 375x740`,
    `   throttled: ${throttle.latency} ms latency, 1.6 Mbps down / 750 kbps up, CPU x${throttle.cpuRate} slower, cache disabled;`,
    `   paint = later of first-contentful-paint and the title in the DOM with a box; median of ${RUNS} fresh pages each;`,
    "   a, b, c come from one loopback front server (a and c built from b's response; everything else passed through)",
    table(['variant', 'paint ms', 'min-max', 'FCP ms', 'title ms', 'ratio to a', 'goal'], rows),
    `   HTML bytes: SSR ${l.htmlBytes.ssr}, static ${l.htmlBytes.static}, client-rendered shell ${l.htmlBytes.csr}`,
  ].join('\n')
  return { text, ratios }
}

function weightSection(w: WeightResult, observed: string[]): string {
  const rows = w.files.map(f => [f.path, f.how, kb(f.raw), kb(f.gzip)])
  rows.push(['total eager JS+CSS', '', kb(w.rawTotal), kb(w.gzipTotal)])
  const eager = new Set(w.files.map(f => f.path))
  const fetched = [...new Set(observed)]
  const extra = fetched.filter(p => !eager.has(p))
  const missing = w.files
    .filter(f => !fetched.includes(f.path))
    .map(f => `${f.path}${f.kind === 'css' ? ' (inlined by the server)' : ''}`)
  return [
    '2. LANDING WEIGHT  dist/client/index.html: entry script, module preloads, static imports, stylesheets; gzip -9; 1 KB = 1024 B',
    table(['file', 'loaded as', 'raw KB', 'gzip KB'], rows),
    `   budget ${kb(BUDGET_BYTES)} KB gzip -> ratio ${ratio(w.gzipTotal / BUDGET_BYTES)}`,
    `   lazy chunks (not counted): ${w.lazy.length ? w.lazy.join(', ') : 'none'}`,
    `   the SSR landing in the browser requested ${fetched.length} script/style files; beyond the list above: ${extra.length ? extra.join(', ') : 'none'};`,
    `   counted above but not requested: ${missing.length ? missing.join(', ') : 'none'}`,
  ].join('\n')
}

function apiSection(phases: Phase[]): string {
  const base = phases.find(p => p.key === 'healthz')!.rps
  const rows = phases.map(p => [
    p.label,
    String(Math.round(p.rps)),
    p.p50.toFixed(1),
    p.p99.toFixed(1),
    p.failed ? `${p.failed} ${JSON.stringify(p.statuses)}` : '0',
    p.key === 'healthz' ? '1.00 (baseline)' : ratio(p.rps / base),
  ])
  return [
    `3. API THROUGHPUT  closed loop, ${API.concurrency} concurrent keep-alive clients in a worker thread, ${API.warmupMs / 1000} s warm-up + ${API.durationMs / 1000} s per phase, 127.0.0.1`,
    table(['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'ratio to healthz'], rows),
  ].join('\n')
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up.`)
    process.exit(1)
  }, WATCHDOG_MS)
  watchdog.unref()
  const started = performance.now()
  const dist = resolve('dist')

  log('bench: landing weight')
  const weight = measureWeight(join(dist, 'client'))

  let t: TestApp | null = null
  let landing: LandingResult
  let phases: Phase[]
  try {
    t = await startTestApp({ env: { DIST_DIR: dist } })
    const offerRes = await fetch(`${t.url}/api/offers/${demo.offers.cash}`)
    if (offerRes.status !== 200) throw new Error(`GET /api/offers/${demo.offers.cash} answered ${offerRes.status}`)
    const title = ((await offerRes.json()) as { offer: { title: string } }).offer.title

    log(`bench: landing paint (${RUNS} rounds of 4 variants, throttled)`)
    landing = await measureLanding({ appUrl: t.url, offerId: demo.offers.cash, title, runs: RUNS, log })

    log('bench: API throughput')
    phases = await measureApi(t, demo.offers.cash, { ...API, log })
  } finally {
    await t?.close()
  }

  const l = landingSection(landing)
  const w = weightSection(weight, landing.ssrAssets)
  const a = apiSection(phases)
  const health = phases.find(p => p.key === 'healthz')!.rps
  const summary = table(
    ['measurement', 'value', 'baseline', 'ratio', 'goal'],
    [
      [
        'landing paint, SSR (b/a)',
        `${ms(landing.variants.ssr.median.paint)} ms`,
        `${ms(landing.variants.static.median.paint)} ms static`,
        ratio(l.ratios.ssr),
        `<= ${SSR_GOAL.toFixed(2)} ${l.ratios.ssr <= SSR_GOAL ? 'met' : 'NOT met'}`,
      ],
      [
        'landing paint, client-rendered (c/a)',
        `${ms(landing.variants.csr.median.paint)} ms`,
        `${ms(landing.variants.static.median.paint)} ms static`,
        ratio(l.ratios.csr),
        '',
      ],
      [
        'landing weight, gzip JS+CSS',
        `${kb(weight.gzipTotal)} KB`,
        `${kb(BUDGET_BYTES)} KB budget`,
        ratio(weight.gzipTotal / BUDGET_BYTES),
        `<= 1.00 ${weight.gzipTotal <= BUDGET_BYTES ? 'met' : 'NOT met'}`,
      ],
      ...phases
        .filter(p => p.key !== 'healthz')
        .map(p => [
          `${p.label}`,
          `${Math.round(p.rps)} req/s`,
          `${Math.round(health)} req/s healthz`,
          ratio(p.rps / health),
          '',
        ]),
    ],
  )
  const notes: string[] = []
  if (landing.pageErrors.length) notes.push(`page errors: ${[...new Set(landing.pageErrors)].join(' | ')}`)
  if (landing.blocked.length) notes.push(`blocked off-machine requests: ${[...new Set(landing.blocked)].join(', ')}`)

  const out = [
    '',
    `Kaquan bench  ${new Date().toISOString()}  node ${process.version}, ${landing.browserVersion}, ${cpus().length} CPUs`,
    'Every ratio divides by a baseline measured in this same run.',
    '',
    l.text,
    '',
    w,
    '',
    a,
    '',
    'SUMMARY',
    summary,
    ...(notes.length ? ['', ...notes.map(n => `note: ${n}`)] : []),
    '',
    `bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    '',
  ]
  process.stdout.write(out.join('\n'))
  clearTimeout(watchdog)
}

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exitCode = 1
})
