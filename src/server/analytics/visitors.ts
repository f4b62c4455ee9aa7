/**
 * A first-party visitor cookie, so views count people, anonymous ones too: the same browser is
 * one viewer a day however often it opens a page. It says nothing about who the person is.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Deps } from '../deps.ts'
import { randomToken } from '../random.ts'

export const VISITOR_COOKIE = 'kq_vid'
const VISITOR = /^[A-Za-z0-9]{20}$/

/** This browser's visitor id, made and set on the reply the first time. */
export function visitorOf(deps: Deps, request: FastifyRequest, reply: FastifyReply): string {
  const known = request.cookies[VISITOR_COOKIE]
  if (known && VISITOR.test(known)) return known
  const id = randomToken(20)
  reply.setCookie(VISITOR_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAge: 365 * 86_400,
  })
  return id
}
