import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drive } from '../../bench/load/drive.ts'

interface Seen {
  method: string
  url: string
  cookie: string | undefined
  key: string | undefined
  body: string
}

let server: Server
let port: number
let dir: string
const seen: Seen[] = []
const inFlight = new Map<Socket, number>()
let maxPerSocket = 0
let maxTotal = 0
let total = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kaquan-bench-test-'))
  server = createServer((req, res) => {
    const n = (inFlight.get(req.socket) ?? 0) + 1
    inFlight.set(req.socket, n)
    total++
    maxPerSocket = Math.max(maxPerSocket, n)
    maxTotal = Math.max(maxTotal, total)
    let body = ''
    req.on('data', d => {
      body += d
    })
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        cookie: req.headers.cookie,
        key: req.headers['idempotency-key'] as string | undefined,
        body,
      })
      const i = seen.length
      // Answer later, so sockets overlap; now and then close the connection as a server may.
      setTimeout(() => {
        inFlight.set(req.socket, (inFlight.get(req.socket) ?? 1) - 1)
        total--
        const soldOut = body.includes('"n":1')
        const payload = soldOut ? '{"error":{"code":"sold_out","message":"x"}}' : '{"ok":true}'
        res.writeHead(soldOut ? 409 : 201, {
          'content-type': 'application/json',
          ...(i % 37 === 0 ? { connection: 'close' } : {}),
        })
        res.end(payload)
      }, 1)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
  rmSync(dir, { recursive: true, force: true })
})

describe('the load generator process', () => {
  it('sends exactly the requests asked for, one in flight per socket, each item in turn with a fresh key', async () => {
    seen.length = 0
    const items = Array.from({ length: 100 }, (_, i) => ({ cookie: `u=${i}`, body: JSON.stringify({ n: i % 2 }) }))
    const load = await drive({
      job: {
        host: '127.0.0.1',
        port,
        connections: 20,
        mode: { kind: 'count', total: 500, warmup: 50 },
        method: 'POST',
        path: '/claim',
        headers: { 'content-type': 'application/json' },
        idempotencyKeys: true,
      },
      items,
      ok: ['201'],
      tmpDir: dir,
    })
    expect(seen).toHaveLength(500)
    expect(maxPerSocket).toBe(1)
    expect(maxTotal).toBeLessThanOrEqual(20)
    expect(new Set(seen.map(s => s.key)).size).toBe(500)
    for (const s of seen) expect(s.key).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/)
    const perCookie = new Map<string, number>()
    for (const s of seen) perCookie.set(s.cookie!, (perCookie.get(s.cookie!) ?? 0) + 1)
    expect([...perCookie.values()]).toEqual(Array(100).fill(5))
    for (const s of seen) expect(s.body).toBe(items[Number(s.cookie!.slice(2))]!.body)
    expect(load.allStatuses).toEqual({ '201': 250, '409 sold_out': 250 })
    expect(load.ok + load.failed).toBe(450)
    expect(load.statuses['201']! + load.statuses['409 sold_out']!).toBe(450)
    expect(load.socketErrors).toBe(0)
    expect(load.sent).toBe(500)
  })

  it('in a timed run, answers everything it sent and counts only the measured window', async () => {
    seen.length = 0
    const load = await drive({
      job: {
        host: '127.0.0.1',
        port,
        connections: 8,
        mode: { kind: 'time', warmupMs: 200, durationMs: 400 },
        method: 'GET',
        path: '/read',
        headers: {},
      },
      ok: ['201'],
      tmpDir: dir,
    })
    const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0)
    expect(seen.length).toBe(load.sent)
    expect(sum(load.allStatuses)).toBe(load.sent)
    expect(sum(load.statuses)).toBeGreaterThan(0)
    expect(sum(load.statuses)).toBeLessThan(load.sent)
    expect(load.histogram.n).toBe(sum(load.statuses))
    expect(seen.every(s => s.method === 'GET' && s.url === '/read' && s.key === undefined)).toBe(true)
  })
})
