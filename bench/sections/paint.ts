/**
 * Landing paint on a throttled phone (bench/landing.ts): the SSR landing against a static page of
 * the same HTML with its scripts stripped, and the client-rendered shell for comparison, all from
 * the Kaquan server process of the first engine.
 */
import { demo } from '../../src/server/db/seed.ts'
import type { BenchContext } from '../context.ts'
import { measureLanding, throttle, type VariantKey } from '../landing.ts'
import { info, ms, ratio, ratioAtMost, type SectionResult, table } from '../report.ts'

const SSR_GOAL = 1.5

export async function paintSection(ctx: BenchContext, serverUrl: string, runs: number): Promise<SectionResult> {
  const offerId = demo.offers.cash
  const res = await fetch(`${serverUrl}/api/offers/${offerId}`)
  if (res.status !== 200) throw new Error(`GET /api/offers/${offerId} answered ${res.status}`)
  const title = ((await res.json()) as { offer: { title: string } }).offer.title
  ctx.log(`  ${runs} rounds of 4 variants, throttled`)
  const l = await measureLanding({ appUrl: serverUrl, offerId, title, runs, log: ctx.log })
  const base = l.variants.static.median.paint
  const ratios: Record<VariantKey, number> = {
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
  const notes: string[] = []
  if (l.pageErrors.length) notes.push(`   page errors: ${[...new Set(l.pageErrors)].join(' | ')}`)
  if (l.blocked.length) notes.push(`   blocked off-machine requests: ${[...new Set(l.blocked)].join(', ')}`)
  const text = [
    `LANDING PAINT  /o/${offerId}, ${l.browserVersion}, iPhone WeChat UA, 375x740`,
    `   throttled: ${throttle.latency} ms latency, 1.6 Mbps down / 750 kbps up, CPU x${throttle.cpuRate} slower, cache disabled;`,
    `   paint = later of first-contentful-paint and the title in the DOM with a box; median of ${runs} fresh pages each;`,
    "   a, b, c come from one loopback front server (a and c built from b's response; everything else passed through)",
    table(['variant', 'paint ms', 'min-max', 'FCP ms', 'title ms', 'ratio to a', 'goal'], rows),
    `   HTML bytes: SSR ${l.htmlBytes.ssr}, static ${l.htmlBytes.static}, client-rendered shell ${l.htmlBytes.csr}`,
    ...notes,
  ].join('\n')
  const staticMs = { value: base, unit: 'ms', what: 'static' }
  const t = { section: 'paint', engine: null }
  return {
    name: 'paint',
    engine: null,
    text,
    targets: [
      ratioAtMost({ ...t, measure: 'landing paint, SSR (b/a)' }, l.variants.ssr.median.paint, 'ms', staticMs, SSR_GOAL),
      info({ ...t, measure: 'landing paint, client-rendered (c/a)' }, l.variants.csr.median.paint, 'ms', staticMs),
    ],
    data: {
      runs,
      throttle,
      browser: l.browserVersion,
      medians: Object.fromEntries(Object.entries(l.variants).map(([k, v]) => [k, v.median])),
      ratios,
      htmlBytes: l.htmlBytes,
      pageErrors: [...new Set(l.pageErrors)],
    },
  }
}
