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
export type Reply = { status: number; body?: unknown } | 'lost'
/** A reply, or one still on its way (see `held`). */
export type Answer = Reply | Promise<Reply>

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

export const ok = (body: unknown): Reply => ({ status: 200, body })
export const fail = (status: number, code: string, message = code, extra: object = {}): Reply => ({
  status,
  body: { error: { code, message, ...extra } },
})

/** A reply that arrives only when the test calls `release`, so it can look at the page meanwhile. */
export function held(reply: Reply): { answer: Answer; release: () => void } {
  let release!: () => void
  const answer = new Promise<Reply>(resolve => {
    release = () => resolve(reply)
  })
  return { answer, release }
}

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
    const queued = queue && (queue.length > 1 ? queue.shift()! : queue[0]!)
    const next = queued instanceof Promise ? await queued : queued
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
