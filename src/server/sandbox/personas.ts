/** /__wx/personas: the sandbox's stand-in for handing the phone to someone else. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SESSION_COOKIE } from '../auth/session.ts'
import { safeReturnPath } from '../auth/oauth-state.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { escapeHtml } from '../http/page.ts'
import { personaListCss, sendMessage, sendScreen } from './page.ts'
import { createSandboxUser, currentSandboxUser, setSandboxUser } from './users.ts'
import { sandboxDb } from './schema.ts'

const css = `<style>${personaListCss}
.who small{font:12px ui-monospace,monospace;overflow:hidden;text-overflow:ellipsis}.mini{background:rgba(0,0,0,.05);color:#07c160}
.bar{display:flex;gap:12px;margin:16px 0}.bar .btn{width:auto;flex:1}
</style>`

const returnTo = z.string().max(2000).optional()
const openid = z.string().max(64).optional()
const listQuery = z.object({ return: returnTo })
const switchBody = z.object({ openid, return: returnTo })
const snapshotBody = z.object({ openid })
/** The avatar URL WeChat's userinfo names: an openid, with or without .svg. */
const avatarParams = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}(\.svg)?$/, 'an openid.svg') })

/** The persona screens are pages a person opens: a malformed request gets a page, not JSON. */
function badRequestPage(reply: FastifyReply) {
  return sendMessage(reply, 400, {
    title: '参数错误',
    message: '这个沙箱页面的参数不对，请返回重新打开。',
    actions: [{ label: '沙箱用户', href: '/__wx/personas' }],
  })
}

export function sandboxPersonas(app: FastifyInstance, deps: Deps): void {
  const { clock } = deps
  const db = sandboxDb(deps.db)
  const back = (ret: string | undefined) => safeReturnPath(ret ?? '/', deps.config.publicUrl) ?? '/'

  app.get('/__wx/personas', async (request, reply) => {
    const q = listQuery.safeParse(request.query)
    if (!q.success) return badRequestPage(reply)
    const me = await currentSandboxUser(deps, request)
    const users = await db.selectFrom('sandbox_users').selectAll().orderBy('created_at').orderBy('openid').execute()
    const ret = back(q.data.return)
    const rows = users
      .map(
        u => `<div class="cell"><div class="av" style="background:${escapeHtml(u.avatar_color)}">${escapeHtml(u.nickname.slice(0, 1))}</div>
<div class="who"><b>${escapeHtml(u.nickname)}</b>${u.openid === me?.openid ? '<span class="tag">当前</span>' : ''}${u.snapshot ? '<span class="tag">快照页</span>' : ''}<small>${escapeHtml(u.openid)}</small></div>
<form method="post" action="/__wx/personas/switch"><input type="hidden" name="openid" value="${escapeHtml(u.openid)}"><input type="hidden" name="return" value="${escapeHtml(ret)}"><button class="mini">切换</button></form>
<form method="post" action="/__wx/personas/snapshot"><input type="hidden" name="openid" value="${escapeHtml(u.openid)}"><button class="mini">${u.snapshot ? '关快照' : '快照页'}</button></form></div>`,
      )
      .join('')
    return sendScreen(
      reply,
      '沙箱用户',
      `${css}<main class="list">
<h1>沙箱微信用户</h1><p>每个用户像一部手机：切换后，卡券站点会以该用户重新登录。</p>
<div class="cells">${rows || '<div class="cell">还没有用户：打开任意优惠链接即会创建一个。</div>'}</div>
<div class="bar"><form method="post" action="/__wx/personas/new" style="flex:1;display:flex"><input type="hidden" name="return" value="${escapeHtml(ret)}"><button class="btn btn-primary" style="flex:1">换一部新手机</button></form>
<a class="btn btn-default" href="${escapeHtml(ret)}">返回</a></div></main>`,
    )
  })

  app.post('/__wx/personas/switch', async (request, reply) => {
    const parsed = switchBody.safeParse(request.body ?? {})
    if (!parsed.success) return badRequestPage(reply)
    const body = parsed.data
    const user = await db
      .selectFrom('sandbox_users')
      .select('openid')
      .where('openid', '=', body.openid ?? '')
      .executeTakeFirst()
    if (user) {
      setSandboxUser(deps, reply, user.openid)
      // Another phone has its own login on the site, too.
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
    }
    return reply.redirect(back(body.return), 303)
  })

  app.post('/__wx/personas/new', async (request, reply) => {
    const parsed = switchBody.safeParse(request.body ?? {})
    if (!parsed.success) return badRequestPage(reply)
    const user = await createSandboxUser(db, clock.now())
    setSandboxUser(deps, reply, user.openid)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect(back(parsed.data.return), 303)
  })

  app.post('/__wx/personas/snapshot', async (request, reply) => {
    const parsed = snapshotBody.safeParse(request.body ?? {})
    if (!parsed.success) return badRequestPage(reply)
    const openid = parsed.data.openid ?? ''
    const user = await db
      .selectFrom('sandbox_users')
      .select(['openid', 'snapshot'])
      .where('openid', '=', openid)
      .executeTakeFirst()
    if (user)
      await db
        .updateTable('sandbox_users')
        .set({ snapshot: user.snapshot ? 0 : 1 })
        .where('openid', '=', openid)
        .execute()
    return reply.redirect('/__wx/personas', 303)
  })

  app.get('/__wx/avatar/:file', async (request, reply) => {
    const openid = parse(avatarParams, request.params, 'params').file.replace(/\.svg$/, '')
    const u = await db.selectFrom('sandbox_users').selectAll().where('openid', '=', openid).executeTakeFirst()
    const color = u?.avatar_color ?? '#888'
    const letter = escapeHtml(u?.nickname.slice(0, 1) ?? '?')
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=3600')
      .send(
        `<svg xmlns="http://www.w3.org/2000/svg" width="132" height="132"><rect width="132" height="132" fill="${color}"/><text x="66" y="88" font-size="64" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`,
      )
  })
}
