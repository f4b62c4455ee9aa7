/** The operator: admin routes take the ADMIN_TOKEN as a bearer token, compared in constant time. */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Deps } from '../deps.ts'
import { AppError } from '../http/errors.ts'

export function requireAdmin(deps: Deps, request: FastifyRequest): void {
  const expected = deps.config.adminToken
  if (!expected) throw new AppError('forbidden', 'the admin API is off: set ADMIN_TOKEN')
  const given = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new AppError('unauthenticated', 'a valid admin bearer token is required')
}
