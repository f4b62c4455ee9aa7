/**
 * One check for every text a request brings, before any route sees it: no NUL characters.
 * PostgreSQL's text can't hold one ("invalid byte sequence for encoding UTF8: 0x00"), SQLite
 * would store it and compare it differently, and no WeChat or Kaquan value contains one.
 * Push XML is checked again after decryption, in wechat/push.ts.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from './errors.ts'

/** Walks strings, keys and nested values without recursion: a parsed JSON body may nest deeply. */
function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const v = pending.pop()
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true
    } else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k.includes('\u0000')) return true
        pending.push(inner)
      }
    }
  }
  return false
}

export function refuseNul(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const part of ['params', 'query', 'body'] as const)
      if (holdsNul(request[part]))
        return done(new AppError('invalid_request', `${part}: NUL characters are not accepted`))
    done()
  })
}
