/**
 * The console's two gates. requireMember: the person behind the session must be a member of the
 * merchant in the path, and an owner where it says so; the membership is read from the database on
 * every request, so a role change or a removal counts from that person's next request. And console
 * writes must be JSON: a cross-site form can't post one (a JSON body from another site needs a CORS
 * preflight, which is never granted), so a form can't act on a signed-in merchant's behalf.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requireUser, type UserRow } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../http/errors.ts'
import { memberOf, type MemberRow } from './members.ts'

export async function requireMember(
  deps: Deps,
  request: FastifyRequest,
  merchantId: string,
  opts: { owner?: true } = {},
): Promise<{ user: UserRow; member: MemberRow }> {
  const user = await requireUser(deps, request, '/console')
  const member = await memberOf(deps.db, merchantId, user.id)
  // An unknown merchant answers like someone else's: the id says nothing about which exist.
  if (!member) throw new AppError('forbidden', '你不是这个商户的成员')
  if (opts.owner && member.role !== 'owner') throw new AppError('forbidden', '只有店主可以管理成员')
  return { user, member }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Refuses console writes carrying anything but JSON. A write without a body (and so without a type) passes. */
export function requireJsonWrites(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!WRITES.has(request.method) || !request.url.startsWith('/api/console/')) return done()
    const type = request.headers['content-type']
    if (type === undefined) {
      const length = Number(request.headers['content-length'] ?? 0)
      if (!request.headers['transfer-encoding'] && !(length > 0)) return done()
    } else if (/^application\/json\s*(;|$)/i.test(type)) return done()
    done(new AppError('invalid_request', '控制台的写操作须为 JSON（content-type: application/json）'))
  })
}
