/**
 * The bench's front door: a loopback HTTP server that serves the two synthetic landing
 * variants (static HTML, client-rendered shell) and passes every other request through to
 * the real Kaquan server, so all three variants come from one origin over real sockets.
 *
 * Why not page.route(): Chromium does not apply DevTools network emulation to responses
 * fulfilled by interception, so a routed document would skip the throttled 150 ms RTT and
 * 1.6 Mbps link that the real SSR page pays for.
 */
import { Agent, createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Variant {
  html: string
  headers: Record<string, string>
}

export interface Front {
  origin: string
  /** Serves `variant` for requests whose path+query is exactly `pathAndQuery`. */
  serve: (pathAndQuery: string, variant: Variant) => void
  close: () => Promise<void>
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
])

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = v
  return out
}

export async function startFront(upstream: string): Promise<Front> {
  const up = new URL(upstream)
  const agent = new Agent({ keepAlive: true, maxSockets: 32 })
  const variants = new Map<string, Variant>()
  const server: Server = createServer((req, res) => {
    const v = req.method === 'GET' ? variants.get(req.url ?? '') : undefined
    if (v) {
      const body = Buffer.from(v.html, 'utf8')
      res.writeHead(200, { ...v.headers, 'content-length': String(body.length) })
      res.end(body)
      return
    }
    const proxied = httpRequest(
      {
        host: up.hostname,
        port: up.port,
        method: req.method,
        path: req.url,
        agent,
        headers: { ...forwardable(req.headers), host: up.host },
      },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, forwardable(upRes.headers))
        upRes.pipe(res)
      },
    )
    proxied.on('error', err => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
    req.pipe(proxied)
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (pathAndQuery, variant) => {
      variants.set(pathAndQuery, variant)
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      agent.destroy()
    },
  }
}
