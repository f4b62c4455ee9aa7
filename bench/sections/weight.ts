/**
 * Landing weight: gzip -9 of the JS and CSS the SSR landing loads inside WeChat — what index.html
 * loads eagerly (entry, preloads, static imports, stylesheets the server inlines) plus the lazy
 * chunks a real visit fetches (the JS-SDK) — against the bare vue + vue-router + pinia +
 * weixin-js-sdk app (bench/bare) built in this run with the project's own Vite config.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { demo } from '../../src/server/db/seed.ts'
import { buildBare } from '../bare/build.ts'
import type { BenchContext } from '../context.ts'
import { atMost, info, kb, ratioAtMost, type SectionResult, table } from '../report.ts'
import { assetsLoaded } from '../visit.ts'
import { measureWeight, weigh } from '../weight.ts'

const RATIO_GOAL = 1.3
const BUDGET_BYTES = 50 * 1024

export async function weightSection(ctx: BenchContext, serverUrl: string): Promise<SectionResult> {
  const clientDir = resolve('dist/client')
  const eager = measureWeight(clientDir)
  const landingUrl = `${serverUrl}/o/${demo.offers.cash}?ch=share`
  const requested = await assetsLoaded(landingUrl)
  const counted = new Set(eager.files.map(f => f.path))
  const rows = eager.files.map(f => [f.path, f.how, kb(f.raw), kb(f.gzip)])
  let rawTotal = eager.rawTotal
  let gzipTotal = eager.gzipTotal
  const lazyLoaded: { path: string; raw: number; gzip: number }[] = []
  for (const p of requested) {
    const file = join(clientDir, p)
    // Only the build's own files: the sandbox's bridge script is never served in production.
    if (counted.has(p) || !existsSync(file)) continue
    counted.add(p)
    const w = weigh(file)
    rows.push([p, 'loaded lazily by the visit', kb(w.raw), kb(w.gzip)])
    rawTotal += w.raw
    gzipTotal += w.gzip
    lazyLoaded.push({ path: p, ...w })
  }
  rows.push(['total the landing loads in WeChat', '', kb(rawTotal), kb(gzipTotal)])
  const notRequested = eager.files.filter(f => !requested.includes(f.path)).map(f => f.path)
  ctx.log('  building the bare stack app')
  const bare = await buildBare(join(ctx.tmpDir, 'bare'))
  const bareGzip = bare.reduce((s, f) => s + f.gzip, 0)
  const bareRaw = bare.reduce((s, f) => s + f.raw, 0)
  const t = { section: 'weight', engine: null }
  return {
    name: 'weight',
    engine: null,
    text: [
      'LANDING WEIGHT  JS+CSS of the SSR landing in WeChat, gzip -9, 1 KB = 1024 B',
      table(
        ['file', 'loaded as', 'raw KB', 'gzip KB'],
        [
          ...rows,
          ['bare vue+vue-router+pinia+weixin-js-sdk (baseline)', `${bare.length} file(s)`, kb(bareRaw), kb(bareGzip)],
        ],
      ),
      `   eager only (index.html and its static imports): ${kb(eager.gzipTotal)} KB gzip; the visit requested ${requested.length} script/style files`,
      `   counted but not requested (inlined by the server): ${notRequested.length ? notRequested.join(', ') : 'none'}`,
      `   lazy chunks not loaded by the landing: ${eager.lazy.filter(p => !counted.has(p)).join(', ') || 'none'}`,
    ].join('\n'),
    targets: [
      ratioAtMost(
        { ...t, measure: 'landing JS+CSS gzip' },
        gzipTotal,
        'KB',
        { value: bareGzip, unit: 'KB', what: 'bare' },
        RATIO_GOAL,
      ),
      atMost({ ...t, measure: 'landing JS+CSS gzip, budget' }, gzipTotal, 'KB', BUDGET_BYTES, `${kb(BUDGET_BYTES)} KB`),
      info({ ...t, measure: 'landing eager JS+CSS gzip' }, eager.gzipTotal, 'KB', {
        value: bareGzip,
        unit: 'KB',
        what: 'bare',
      }),
    ],
    data: {
      landingUrl,
      gzipBytes: gzipTotal,
      rawBytes: rawTotal,
      eagerGzipBytes: eager.gzipTotal,
      files: [...eager.files, ...lazyLoaded.map(f => ({ ...f, how: 'loaded lazily' }))],
      requested,
      bare: { gzipBytes: bareGzip, rawBytes: bareRaw, files: bare },
      ratioToBare: gzipTotal / bareGzip,
    },
  }
}
