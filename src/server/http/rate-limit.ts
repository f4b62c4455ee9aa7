/** Rate limits keyed by who is asking: the session's user when there is one, else the address. */
import type { FastifyRequest } from 'fastify'
import { openSession, SESSION_COOKIE } from '../auth/session.ts'
import type { Deps } from '../deps.ts'

export function perUserLimit(deps: Deps, max: number, timeWindow = '1 minute') {
  return {
    max,
    timeWindow,
    keyGenerator: (request: FastifyRequest) => {
      const s = openSession(request.cookies[SESSION_COOKIE], deps.config.sessionSecret, deps.clock.now())
      return s ? `u:${s.uid}` : `ip:${request.ip}`
    },
  }
}
