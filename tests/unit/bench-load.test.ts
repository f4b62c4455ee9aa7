import { describe, expect, it } from 'vitest'
import { Histogram } from '../../bench/load/histogram.ts'
import { type Response, ResponseParser } from '../../bench/load/http.ts'

const ok = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'
const soldOutBody = '{"error":{"code":"sold_out","message":"已抢光"}}'
const soldOut = `HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(soldOutBody)}\r\n\r\n${soldOutBody}`
const chunked =
  'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: keep-alive\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n'
const noBody = 'HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n'
const closing = 'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 2\r\n\r\nno'

function parseAll(parts: Buffer[]): Response[] {
  const p = new ResponseParser()
  const out: Response[] = []
  for (const part of parts) p.feed(part, r => out.push(r))
  expect(p.idle).toBe(true)
  return out
}

describe('the load generator reads HTTP/1.1 responses', () => {
  const stream = Buffer.from(ok + soldOut + chunked + noBody + closing)
  const expected: Response[] = [
    { status: 200, code: null, close: false },
    { status: 409, code: 'sold_out', close: false },
    { status: 200, code: null, close: false },
    { status: 204, code: null, close: false },
    { status: 503, code: null, close: true },
  ]

  it('reads several responses arriving in one chunk', () => {
    expect(parseAll([stream])).toEqual(expected)
  })

  it('reads them the same whatever byte they are split at', () => {
    for (let cut = 1; cut < stream.length; cut++)
      expect(parseAll([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(expected)
  })

  it('reads them delivered one byte at a time', () => {
    expect(parseAll([...stream].map(b => Buffer.from([b])))).toEqual(expected)
  })

  it('refuses bytes that are not an HTTP response, and a response it cannot frame', () => {
    expect(() => new ResponseParser().feed(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), () => {})).toThrow(/HTTP/)
    expect(() => new ResponseParser().feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), () => {})).toThrow(/content-length/)
  })
})

describe('the latency histogram', () => {
  it('puts every percentile within 1% of the exact one', () => {
    const samples = Array.from({ length: 20_000 }, (_, i) => 0.05 + ((i * 7919) % 20_000) / 97)
    const h = new Histogram()
    for (const s of samples) h.record(s)
    const sorted = [...samples].sort((a, b) => a - b)
    for (const p of [0.5, 0.9, 0.99, 0.999]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1]!
      expect(Math.abs(h.percentile(p) - exact) / exact, `p${p * 100}`).toBeLessThan(0.01)
    }
    expect(h.n).toBe(samples.length)
    expect(h.max).toBe(sorted.at(-1))
  })

  it('merges histograms from several generators by adding their counts', () => {
    const a = new Histogram()
    const b = new Histogram()
    for (let i = 0; i < 99; i++) a.record(1)
    b.record(500)
    const m = Histogram.from(a.toJSON(), b.toJSON())
    expect(m.n).toBe(100)
    expect(m.percentile(0.99)).toBeCloseTo(1, 1)
    expect(Math.abs(m.percentile(1) - 500) / 500).toBeLessThan(0.01)
    expect(Number.isNaN(new Histogram().percentile(0.5))).toBe(true)
  })
})
