/**
 * A bounded, deterministic fuzzer over every route the server registers (read from
 * app.routeTable, never a hand-kept list). Each request goes to one route, in a fresh shuffled
 * order per round, so every route is hit about equally. A run fails on any 5xx (answered, or
 * met by the sandbox's own calls and logged), and on any /api 4xx whose body is not
 * { "error": { "code", "message" } }.
 *
 * Nothing is skipped: no route waits long by design. The one thing that does, the sandbox's
 * `hang` fault (a 10 s stall), is never planned; the faults the fuzzer does plan make the
 * server's next WeChat call fail (a 502 by design), so they are cleared as soon as planned.
 */
import type { RouteEntry } from '../../src/server/app.ts'
import { type Fixtures, makeFixtures, startFuzzApp } from './fixtures.ts'
import { examples, mutate } from './corpus.ts'
import { body, headers, param, query, wildcard } from './inputs.ts'
import { Rng } from './random.ts'

export interface FuzzRequest {
  n: number
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

export interface Failure {
  request: FuzzRequest | null
  status: number
  why: string
  body: string
}

export interface FuzzResult {
  seed: number
  sent: number
  histogram: Map<number, number>
  routes: RouteEntry[]
  /** Requests sent to each route, by "METHOD url". */
  hits: Map<string, number>
  /** Statuses each route answered, by "METHOD url". */
  byRoute: Map<string, Map<number, number>>
  failures: Failure[]
}

const otherMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

function generate(r: Rng, fx: Fixtures, route: RouteEntry, now: number, n: number): FuzzRequest {
  const method = r.chance(0.95) ? route.method : r.pick(otherMethods)
  const path = route.url
    .replace(/:(\w+)/g, (_m, name: string) => param(r, fx, name))
    .replace('*', () => wildcard(r, fx))
  const h = headers(r, fx)
  const known = examples(r, fx, now)[route.url]
  if (known && method === route.method && r.chance(0.5)) {
    const ex = r.pick(known)
    const m = mutate(r, fx, ex)
    if (m.contentType && m.payload !== undefined && method !== 'GET' && method !== 'HEAD')
      h['content-type'] = m.contentType
    if (ex.as && r.chance(0.85)) impersonate(h, fx, ex.as)
    const payload = method === 'GET' || method === 'HEAD' ? undefined : m.payload
    return { n, method, url: m.query ? `${path}?${m.query}` : path, headers: h, payload }
  }
  const b = body(r, fx, method, route.url, now)
  const q = b.query ?? query(r, fx)
  if (b.contentType) h['content-type'] = b.contentType
  return { n, method, url: q ? `${path}?${q}` : path, headers: h, payload: b.payload }
}

/** The live cookie or token an example needs, over whatever the random headers carried. */
function impersonate(h: Record<string, string>, fx: Fixtures, as: 'consumer' | 'clerk' | 'owner' | 'admin'): void {
  if (as === 'admin') h.authorization = `Bearer ${fx.adminToken}`
  else
    h.cookie = `kq_sid=${fx.cookies.live[as === 'consumer' ? 0 : as === 'clerk' ? 1 : 2]}; wxsb_user=${fx.cookies.sandboxUser[0]}`
}

/** Why an answer fails the run, or null. */
function problem(req: FuzzRequest, status: number, text: string): string | null {
  if (status >= 500) return `answered ${status}`
  const path = req.url.split('?')[0]!
  if (!/^\/api(\/|$)/.test(path) || status < 400 || req.method === 'HEAD') return null
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    return `an /api ${status} whose body is not JSON`
  }
  if (typeof json?.error?.code !== 'string' || typeof json?.error?.message !== 'string')
    return `an /api ${status} not shaped { error: { code, message } }`
  return null
}

export async function runFuzz(opts: {
  seed: number
  requests: number
  onProgress?: (sent: number) => void
}): Promise<FuzzResult> {
  const f = await startFuzzApp()
  const histogram = new Map<number, number>()
  const failures: Failure[] = []
  const routes = [...f.app.routeTable]
  const hits = new Map<string, number>()
  const byRoute = new Map<string, Map<number, number>>()
  let sent = 0
  const drainErrors = (request: FuzzRequest | null) => {
    for (const e of f.errors.splice(0))
      failures.push({ request, status: 500, why: `server error log: ${e.msg}`, body: e.err ?? '' })
  }
  try {
    const fx = await makeFixtures(f)
    drainErrors(null)
    const r = new Rng(opts.seed)
    let round: RouteEntry[] = []
    for (let n = 0; n < opts.requests; n++) {
      if (round.length === 0) round = r.shuffle(routes)
      const route = round.pop()!
      const name = `${route.method} ${route.url}`
      hits.set(name, (hits.get(name) ?? 0) + 1)
      const req = generate(r, fx, route, f.clock.now(), n)
      let status: number
      let text: string
      try {
        const res = await f.app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          payload: req.payload,
        })
        status = res.statusCode
        text = res.body
      } catch (err) {
        status = 0
        text = String(err)
      }
      sent++
      histogram.set(status, (histogram.get(status) ?? 0) + 1)
      const statuses = byRoute.get(name) ?? new Map<number, number>()
      byRoute.set(name, statuses.set(status, (statuses.get(status) ?? 0) + 1))
      const why = status === 0 ? 'the request could not be sent' : problem(req, status, text)
      if (why) failures.push({ request: req, status, why, body: text.slice(0, 300) })
      if (req.url.startsWith('/__wx/faults') && req.method === 'POST' && status === 204)
        await f.app.inject({ method: 'DELETE', url: '/__wx/faults' })
      drainErrors(req)
      if (opts.onProgress && sent % 1000 === 0) opts.onProgress(sent)
    }
  } finally {
    await f.close()
  }
  drainErrors(null)
  return { seed: opts.seed, sent, histogram, routes, hits, byRoute, failures }
}

const counts = (m: Map<number, number>) =>
  [...m]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status}×${n}`)
    .join(' ')

export function report(result: FuzzResult, opts: { byRoute?: boolean } = {}): string {
  const lines = [`${result.sent} requests over ${result.routes.length} routes, seed ${result.seed}`, 'status  count']
  for (const [status, count] of [...result.histogram].sort((a, b) => a[0] - b[0]))
    lines.push(`${String(status).padEnd(6)}  ${count}`)
  if (opts.byRoute) for (const [route, m] of result.byRoute) lines.push(`  ${route.padEnd(48)} ${counts(m)}`)
  for (const fail of result.failures) {
    lines.push('', `FAIL ${fail.why}${fail.request ? ` (request #${fail.request.n})` : ''}`)
    if (fail.request) {
      lines.push(`  replay: FUZZ_SEED=${result.seed} FUZZ_REQUESTS=${fail.request.n + 1} npm run fuzz`)
      lines.push(`  request: ${JSON.stringify(fail.request).slice(0, 4000)}`)
    }
    if (fail.body) lines.push(`  answer: ${fail.body}`)
  }
  lines.push('', result.failures.length === 0 ? 'no failures' : `${result.failures.length} failures`)
  return lines.join('\n')
}
