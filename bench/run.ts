/**
 * `npm run bench`: builds the site, then measures every speed target of the project against a
 * baseline measured in this same run, one section at a time (two cores: a server under test and
 * a load generator, never two phases at once):
 *   baseline  bare Fastify hello world process + the check that the load generator outruns it
 *   reads     GET /api/offers/:id, GET /api/offers, GET /o/:id (SSR) / hello world
 *   raw       the claim's own writes as a raw transaction (better-sqlite3 / one plpgsql round trip)
 *   claims    POST /api/offers/:id/claim / raw
 *   flash     20,000 claims, 200 in flight, 5,000 stock: exact?
 *   redeem    200 clerks redeeming different codes: p99
 *   funnel    the console's funnel route over 1,000,000 events, each grouping: p50/max
 *   paint     SSR landing paint on a throttled phone / static HTML
 *   weight    landing JS+CSS gzip / a bare vue+vue-router+pinia+weixin-js-sdk build
 *   startup   an unusable SQLite path: does the server exit naming DATABASE_URL?
 * on SQLite and PostgreSQL, and prints the details, a summary table and JSON (also written to
 * bench/results/latest.json). Nothing here asserts on time: the bench reports, people judge.
 * It exits 0 unless it could not measure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/server/db/index.ts'
import { type BenchContext, type EngineContext, newSessionSecret, userPool } from './context.ts'
import { ENGINE_SECTIONS, type Options, parseOptions, SERVER_SECTIONS, UsageError } from './options.ts'
import { killChildren, startKaquan } from './procs.ts'
import { type SectionResult, summaryTable } from './report.ts'
import { createScratch, type Engine } from './scratch.ts'
import { claimsSection } from './sections/claims.ts'
import { flashSection } from './sections/flash.ts'
import { FUNNEL, funnelSection } from './sections/funnel.ts'
import { type Hello, helloSection } from './sections/hello.ts'
import { paintSection } from './sections/paint.ts'
import { type Raw, rawSection } from './sections/raw.ts'
import { readsSection } from './sections/reads.ts'
import { redeemSection } from './sections/redeem.ts'
import { startupSection } from './sections/startup.ts'
import { weightSection } from './sections/weight.ts'

// The whole bench takes about 4 minutes (the funnel section writes a million events per engine).
const WATCHDOG_MS = 600_000
const log = (s: string) => process.stderr.write(`${s}\n`)

/** Run on any way out: stop our children, drop scratch databases, remove temp files. */
const cleanups: (() => Promise<void>)[] = []
async function cleanUp(): Promise<void> {
  killChildren()
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
}

async function withEngine(ctx: BenchContext, engine: Engine, body: (e: EngineContext) => Promise<void>): Promise<void> {
  log(`bench: ${engine}: scratch database and Kaquan server process`)
  const scratch = await createScratch(engine)
  cleanups.push(scratch.drop)
  const sessionSecret = newSessionSecret()
  const server = await startKaquan({
    databaseUrl: scratch.url,
    sessionSecret,
    logFile: join(ctx.tmpDir, `kaquan-${engine}.log`),
  })
  const { db, close } = openDatabase(scratch.url)
  try {
    await body({ ...ctx, engine, scratch, server, db, sessionSecret, users: userPool(db, sessionSecret, log) })
  } catch (err) {
    const tail = server.output().split('\n').slice(-15).join('\n')
    log(`bench: ${engine}: the server's last log lines:\n${tail}`)
    throw err
  } finally {
    await server.stop()
    await close()
  }
  await scratch.drop()
  cleanups.splice(cleanups.indexOf(scratch.drop), 1)
}

async function measure(o: Options, ctx: BenchContext): Promise<SectionResult[]> {
  const has = (s: Parameters<typeof o.sections.has>[0]) => o.sections.has(s)
  const results: SectionResult[] = []
  let hello: Hello | null = null
  if (has('baseline')) {
    log('bench: baseline (a), hello world, and the generator check')
    const r = await helloSection(ctx)
    results.push(r.result)
    hello = r.hello
  }
  const engineWork = [...ENGINE_SECTIONS, ...SERVER_SECTIONS].some(has)
  for (const [i, engine] of o.engines.entries()) {
    if (!engineWork) break
    await withEngine(ctx, engine, async e => {
      if (i === 0 && has('paint')) {
        log('bench: landing paint')
        results.push(await paintSection(ctx, e.server.url, o.runs))
      }
      if (i === 0 && has('weight')) {
        log('bench: landing weight')
        results.push(await weightSection(ctx, e.server.url))
      }
      if (has('reads')) {
        log(`bench: ${engine}: hot reads`)
        results.push(await readsSection(e, hello!))
      }
      let raw: Raw | null = null
      if (has('raw')) {
        log(`bench: ${engine}: baseline (b), the raw claim transaction`)
        const r = await rawSection(e)
        results.push(r.result)
        raw = r.raw
      }
      if (has('claims')) {
        log(`bench: ${engine}: claims`)
        results.push(await claimsSection(e, raw!))
      }
      if (has('flash')) {
        log(`bench: ${engine}: flash sale`)
        results.push(await flashSection(e))
      }
      if (has('redeem')) {
        log(`bench: ${engine}: redemptions`)
        results.push(await redeemSection(e))
      }
      // Last: it leaves a million events behind in this engine's scratch database.
      if (has('funnel')) {
        log(`bench: ${engine}: funnel over ${FUNNEL.events.toLocaleString('en-US')} events`)
        results.push(await funnelSection(e))
      }
    })
  }
  if (has('startup')) {
    log('bench: start-up check')
    results.push(await startupSection(ctx))
  }
  return results
}

async function main(): Promise<void> {
  let o: Options
  try {
    o = parseOptions(process.argv.slice(2))
  } catch (err) {
    if (err instanceof UsageError) {
      log(`bench: ${err.message}`)
      process.exit(2)
    }
    throw err
  }
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up.`)
    void cleanUp().finally(() => process.exit(1))
  }, WATCHDOG_MS)
  watchdog.unref()
  // Whatever happens, no server or generator outlives the bench (kill is synchronous, fit for 'exit').
  process.once('exit', killChildren)
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)))

  const started = performance.now()
  const loadBefore = loadavg()
  const tmpDir = mkdtempSync(join(tmpdir(), 'kaquan-bench-'))
  cleanups.push(async () => rmSync(tmpDir, { recursive: true, force: true }))
  const ctx: BenchContext = { tmpDir, log, phase: { warmupMs: o.warmupMs, durationMs: o.durationMs } }
  const results = await measure(o, ctx)
  const took = (performance.now() - started) / 1000
  const loadAfter = loadavg()

  const machine = `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'})`
  const load = (l: number[]) => l.map(x => x.toFixed(2)).join(' ')
  const targets = results.flatMap(r => r.targets)
  const text = [
    '',
    `Kaquan bench  ${new Date().toISOString()}  ${machine}`,
    `load average before ${load(loadBefore)}, after ${load(loadAfter)} (other work on this machine moves the figures)`,
    `timed phases: ${o.warmupMs / 1000} s warm-up + ${o.durationMs / 1000} s measured; every ratio divides by a baseline measured in this same run`,
    '',
    ...results.flatMap(r => [r.text, '']),
    'SUMMARY',
    summaryTable(targets),
    '',
    `bench took ${took.toFixed(0)} s`,
    '',
  ].join('\n')
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? null,
    loadAverage: { before: loadBefore, after: loadAfter },
    phase: ctx.phase,
    engines: o.engines,
    sections: [...o.sections],
    tookSeconds: took,
    targets,
    results: results.map(r => ({ name: r.name, engine: r.engine, data: r.data })),
  }
  process.stdout.write(text)
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  const dir = new URL('./results/', import.meta.url).pathname
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  clearTimeout(watchdog)
  await cleanUp()
}

main().catch(async (err: unknown) => {
  // fetch's errors say what went wrong in their cause (a refused or reset connection, …).
  const cause = err instanceof Error && err.cause ? `\n  cause: ${String((err.cause as Error).stack ?? err.cause)}` : ''
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}`)
  await cleanUp()
  process.exitCode = 1
})
