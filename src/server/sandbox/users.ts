/**
 * Sandbox users behave like phones: a browser without the sandbox cookie is a new WeChat
 * user with an openid of its own; the persona page switches between them.
 */
import { createHash, createHmac } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type SandboxDb, type SandboxUsersTable, sandboxDb } from './schema.ts'
import type { Deps } from '../deps.ts'
import { randomToken } from '../random.ts'

export const SANDBOX_USER_COOKIE = 'wxsb_user'
const names = ['小明', '阿花', '大熊', '橙子', '老王', '糖糖', '阿杰', '小鹿', '豆豆', '米粒']
const colors = ['#07c160', '#10aeff', '#fa9d3b', '#fa5151', '#576b95', '#9b59b6', '#1abc9c']

function sign(deps: Deps, openid: string): string {
  return createHmac('sha256', deps.config.sessionSecret)
    .update(`sandbox-user:${openid}`)
    .digest('base64url')
    .slice(0, 22)
}

/** WeChat openids are 28 characters of base64url, starting with "o". */
export function newOpenid(): string {
  return `o${randomToken(27)}`
}

export async function createSandboxUser(db: SandboxDb, now: number): Promise<SandboxUsersTable> {
  const count = await db
    .selectFrom('sandbox_users')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const n = Number(count.n)
  const user = {
    openid: newOpenid(),
    nickname: `${names[n % names.length]}${n >= names.length ? Math.floor(n / names.length) + 1 : ''}`,
    avatar_color: colors[n % colors.length]!,
    snapshot: 0,
    created_at: now,
  }
  await db.insertInto('sandbox_users').values(user).execute()
  return user
}

export function setSandboxUser(deps: Deps, reply: FastifyReply, openid: string): void {
  reply.setCookie(SANDBOX_USER_COOKIE, `${openid}.${sign(deps, openid)}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: 365 * 86_400,
  })
}

export async function currentSandboxUser(deps: Deps, request: FastifyRequest): Promise<SandboxUsersTable | null> {
  const raw = request.cookies[SANDBOX_USER_COOKIE]
  const [openid, sig] = (raw ?? '').split('.')
  if (!openid || sig !== sign(deps, openid)) return null
  return (
    (await sandboxDb(deps.db)
      .selectFrom('sandbox_users')
      .selectAll()
      .where('openid', '=', openid)
      .executeTakeFirst()) ?? null
  )
}

/** The phone's user, made on first sight as WeChat would. */
export async function phoneUser(deps: Deps, request: FastifyRequest, reply: FastifyReply): Promise<SandboxUsersTable> {
  const existing = await currentSandboxUser(deps, request)
  if (existing) return existing
  const user = await createSandboxUser(sandboxDb(deps.db), deps.clock.now())
  setSandboxUser(deps, reply, user.openid)
  return user
}

/** In snapshot mode (快照页) WeChat hands out a virtual account, not the user's real openid. */
export function snapshotOpenid(openid: string): string {
  return `o${createHash('sha256').update(`snapshot:${openid}`).digest('base64url').slice(0, 27)}`
}
