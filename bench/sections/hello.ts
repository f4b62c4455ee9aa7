/**
 * Baseline (a): the bare Fastify hello world in a process of its own, driven by one generator, and
 * the check that the generator is not the bottleneck: the server's own CPU over the window (a Node
 * server's JavaScript runs on one core), and the same load split over two generator processes,
 * which would get more through if one generator were the limit. One generator runs before and after
 * the two, and the better run is the baseline.
 */
import { join } from 'node:path'
import type { BenchContext } from '../context.ts'
import { drive, type Load } from '../load/drive.ts'
import { startHello } from '../procs.ts'
import { check, info, LOAD_HEAD, loadData, loadRow, pct, ratio, type SectionResult, table } from '../report.ts'

export const READ_CONNECTIONS = 64
/** A Node server's JavaScript runs on one core: near a whole core, the server is the limit. */
const SERVER_BUSY = 0.9
const SECOND_GENERATOR_GAIN = 1.15
/** More than this much of a core used by others during the baseline deserves a note. */
const CONTENDED = 0.25

export interface Hello {
  rps: number
  load: Load
}

export async function helloSection(ctx: BenchContext): Promise<{ result: SectionResult; hello: Hello }> {
  const server = await startHello(join(ctx.tmpDir, 'hello.log'))
  try {
    const job = {
      host: '127.0.0.1',
      port: server.port,
      connections: READ_CONNECTIONS,
      mode: { kind: 'time' as const, ...ctx.phase },
      method: 'GET' as const,
      path: '/',
      headers: { 'user-agent': 'kaquan-bench', accept: 'application/json' },
    }
    const oneGenerator = () => drive({ job, ok: ['200'], serverPid: server.pid, tmpDir: ctx.tmpDir })
    const first = await oneGenerator()
    ctx.log(`  hello world, one generator: ${Math.round(first.rps)} req/s, server CPU ${pct(first.serverCpu)}`)
    const two = await drive({ job, ok: ['200'], generators: 2, serverPid: server.pid, tmpDir: ctx.tmpDir })
    ctx.log(`  hello world, two generators: ${Math.round(two.rps)} req/s`)
    const again = await oneGenerator()
    ctx.log(`  hello world, one generator again: ${Math.round(again.rps)} req/s`)
    // Other work on a shared machine can only lower a ceiling: the better of the two counts.
    const one = again.rps > first.rps ? again : first
    const gain = two.rps / one.rps
    const busy = one.serverCpu >= SERVER_BUSY
    // If one generator were the limit, a second would get more through; the server's CPU says why it can't.
    const flat = gain <= SECOND_GENERATOR_GAIN
    const verdict = !flat
      ? 'the generator MAY be limiting'
      : busy
        ? 'the generator is not the bottleneck (the server is saturated)'
        : `the generator is not the bottleneck (the server got ${pct(one.serverCpu)} of a core: other work on the machine)`
    const contention =
      one.restCpu > CONTENDED
        ? [
            `   NOTE: other work on this machine used ${pct(one.restCpu)} of a core during baseline (a): every ratio to it is indicative only`,
          ]
        : []
    const text = [
      `BASELINE (a)  bare Fastify hello world process (GET / -> {"ok":true}, logger off), ${READ_CONNECTIONS} keep-alive sockets`,
      table(LOAD_HEAD, [
        loadRow('GET /, one generator', first, one.rps),
        loadRow(`GET /, two generators (${READ_CONNECTIONS / 2} sockets each)`, two, one.rps),
        loadRow('GET /, one generator again', again, one.rps),
      ]),
      `   baseline (a) = the better one-generator phase: ${Math.round(one.rps)} req/s`,
      `   generator check: with one generator the server used ${pct(one.serverCpu)} of a core and the generator ${pct(one.generatorCpu[0]!)}; the rest of the machine ${pct(one.restCpu)};`,
      `   splitting the sockets over two generator processes changed the total by ${ratio(gain)}x -> ${verdict}`,
      ...contention,
    ].join('\n')
    const t = { section: 'baseline', engine: null }
    return {
      hello: { rps: one.rps, load: one },
      result: {
        name: 'baseline',
        engine: null,
        text,
        targets: [
          info({ ...t, measure: 'hello world GET / (baseline a)' }, one.rps, 'req/s'),
          info({ ...t, measure: 'hello world server CPU' }, one.serverCpu * 100, '% of a core'),
          check(
            { ...t, measure: 'generator check: two generators / one' },
            flat,
            gain * 100,
            '%',
            `<= ${Math.round(SECOND_GENERATOR_GAIN * 100)}%`,
          ),
        ],
        data: {
          oneGenerator: [loadData(first), loadData(again)],
          twoGenerators: loadData(two),
          baselineRps: one.rps,
          secondGeneratorGain: gain,
        },
      },
    }
  } finally {
    await server.stop()
  }
}
