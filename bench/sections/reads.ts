/**
 * Hot reads against the Kaquan server process: the offer, the offer list and the SSR landing page
 * itself (its HTML carries the landing's data), anonymous as a tapped link is, with the same
 * sockets and generator as the hello world they are divided by.
 */
import { WECHAT_UA } from '../landing.ts'
import type { EngineContext } from '../context.ts'
import { demo } from '../../src/server/db/seed.ts'
import { drive, type Load } from '../load/drive.ts'
import { atMost, LOAD_HEAD, loadData, loadRow, ratioAtLeast, type SectionResult, table } from '../report.ts'
import { type Hello, READ_CONNECTIONS } from './hello.ts'

const RATIO_GOAL = 0.5
const P99_GOAL_MS = 50

interface Read {
  key: string
  label: string
  path: string
  headers: Record<string, string>
  /** What a right answer contains, checked once before the load. */
  expect: (body: string) => boolean
}

export async function readsSection(ctx: EngineContext, hello: Hello): Promise<SectionResult> {
  const id = demo.offers.cash
  const title = ((await (await fetch(`${ctx.server.url}/api/offers/${id}`)).json()) as { offer: { title: string } })
    .offer.title
  const json = { accept: 'application/json', 'user-agent': 'kaquan-bench' }
  const reads: Read[] = [
    {
      key: 'offer',
      label: `GET /api/offers/${id}`,
      path: `/api/offers/${id}`,
      headers: json,
      expect: b => b.includes(`"id":"${id}"`),
    },
    {
      key: 'offers',
      label: 'GET /api/offers',
      path: '/api/offers',
      headers: json,
      expect: b => b.includes(`"id":"${id}"`),
    },
    {
      key: 'landing',
      label: `GET /o/${id}?ch=share (SSR HTML)`,
      path: `/o/${id}?ch=share`,
      // As WeChat's browser asks for a page: gzip welcome.
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br', 'user-agent': WECHAT_UA },
      expect: b => b.includes(title) && b.includes('kq-state'),
    },
  ]
  const rows: string[][] = [['hello world (baseline a)', ...loadRow('', hello.load, hello.rps).slice(1)]]
  const targets = []
  const data: Record<string, unknown> = {}
  for (const r of reads) {
    const res = await fetch(ctx.server.url + r.path, { headers: r.headers })
    const body = await res.text()
    if (res.status !== 200 || !r.expect(body))
      throw new Error(`${r.label} answered ${res.status}: ${body.slice(0, 200)}`)
    const load: Load = await drive({
      job: {
        host: '127.0.0.1',
        port: ctx.server.port,
        connections: READ_CONNECTIONS,
        mode: { kind: 'time', ...ctx.phase },
        method: 'GET',
        path: r.path,
        headers: r.headers,
      },
      ok: ['200'],
      serverPid: ctx.server.pid,
      tmpDir: ctx.tmpDir,
    })
    ctx.log(`  ${r.label}: ${Math.round(load.rps)} req/s, p99 ${load.p99.toFixed(1)} ms`)
    rows.push(loadRow(r.label, load, hello.rps))
    const t = { section: 'reads', engine: ctx.engine, measure: r.label }
    targets.push(
      ratioAtLeast(t, load.rps, 'req/s', { value: hello.rps, unit: 'req/s', what: 'hello' }, RATIO_GOAL),
      atMost({ ...t, measure: `${r.label} p99` }, load.p99, 'ms', P99_GOAL_MS),
    )
    data[r.key] = { path: r.path, ...loadData(load), ratioToHello: load.rps / hello.rps }
  }
  return {
    name: 'reads',
    engine: ctx.engine,
    text: [
      `HOT READS (${ctx.engine})  Kaquan server process, default log level, ${READ_CONNECTIONS} sockets, anonymous`,
      table(LOAD_HEAD, rows),
    ].join('\n'),
    targets,
    data,
  }
}
