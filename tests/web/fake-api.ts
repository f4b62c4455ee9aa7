/**
 * The browser's fetch, faked for web tests: it records every request and answers JSON from a
 * table. This is the edge of the browser, not our server (tests/server runs the real one).
 */
import { vi } from 'vitest'

export interface SentRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
}

/** A response, or 'lost': the request left the phone but no answer came back. */
export type Answer = { status: number; body?: unknown } | 'lost'

export interface FakeApi {
  /** Every request in the order sent. */
  sent: SentRequest[]
  /** Answers `METHOD /path?query` with these answers in turn; the last one repeats. */
  answer: (route: string, ...answers: Answer[]) => void
  /** The requests sent to one route. */
  to: (route: string) => SentRequest[]
  /** Requests the table had no answer for (answered as a network failure): a test should expect none. */
  unanswered: string[]
}

export const ok = (body: unknown): Answer => ({ status: 200, body })
export const fail = (status: number, code: string, message = code, extra: object = {}): Answer => ({
  status,
  body: { error: { code, message, ...extra } },
})

export function fakeApi(): FakeApi {
  const sent: SentRequest[] = []
  const table = new Map<string, Answer[]>()
  const unanswered: string[] = []
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    const req: SentRequest = {
      method,
      path: input,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    sent.push(req)
    const queue = table.get(`${method} ${input}`)
    const next = queue && (queue.length > 1 ? queue.shift()! : queue[0]!)
    if (!next) unanswered.push(`${method} ${input}`)
    if (!next || next === 'lost') throw new TypeError('Failed to fetch')
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), {
      status: next.status,
      headers: { 'content-type': 'application/json' },
    })
  })
  return {
    sent,
    answer: (route, ...answers) => table.set(route, answers),
    to: route => sent.filter(r => `${r.method} ${r.path}` === route),
    unanswered,
  }
}
