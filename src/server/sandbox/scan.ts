/**
 * /__wx/scan?url=…: the sandbox's stand-in for pointing a phone's WeChat at the desktop's QR code
 * (用沙箱微信扫码). It lists the sandbox personas, the demo café's owner first, each with a button
 * that hands this browser to that persona (as /__wx/personas/switch does, logging the site out)
 * and opens the scanned link. Only this site's console scan links are accepted.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { escapeHtml } from '../http/page.ts'
import { personaListCss, sendMessage, sendScreen } from './page.ts'
import { sandboxDb } from './schema.ts'
import { DEMO_OWNER } from './seed.ts'

const scanQuery = z.object({ url: z.string().max(2000) }).strict()

const css = `<style>${personaListCss}
.mini{background:#07c160;color:#fff}.bar{margin:16px 0}.bar form{display:flex}.bar .btn{width:auto;flex:1}
</style>`

const roleTag: Record<string, string> = { owner: '店主', manager: '店长' }

/** The scanned link as a path on this site, when it is a console scan link; null for anything else. */
function scanPath(url: string, publicUrl: string): string | null {
  try {
    const u = new URL(url, publicUrl)
    if (u.origin !== new URL(publicUrl).origin || u.pathname !== '/console/scan' || !u.searchParams.get('t'))
      return null
    return `${u.pathname}${u.search}`
  } catch {
    return null
  }
}

function refuse(reply: FastifyReply) {
  return sendMessage(reply, 400, {
    title: '无法识别的二维码',
    message: '这不是本站管理后台的登录二维码。',
    actions: [{ label: '返回', href: '/console/login' }],
  })
}

export function sandboxScan(app: FastifyInstance, deps: Deps): void {
  const db = sandboxDb(deps.db)

  app.get('/__wx/scan', async (request, reply) => {
    const q = scanQuery.safeParse(request.query)
    const target = q.success ? scanPath(q.data.url, deps.config.publicUrl) : null
    if (!target) return refuse(reply)
    const users = await db.selectFrom('sandbox_users').selectAll().orderBy('created_at').orderBy('openid').execute()
    users.sort((a, b) => Number(b.openid === DEMO_OWNER.openid) - Number(a.openid === DEMO_OWNER.openid))
    // Which personas work for a merchant: the console's own members, by the openid WeChat gives them.
    const roles = users.length
      ? await db
          .selectFrom('merchant_members')
          .innerJoin('users', 'users.id', 'merchant_members.user_id')
          .select(['users.openid', 'merchant_members.role'])
          .where(
            'users.openid',
            'in',
            users.map(u => u.openid),
          )
          .execute()
      : []
    const tags = (openid: string) =>
      [...new Set(roles.filter(r => r.openid === openid).map(r => roleTag[r.role]))]
        .map(t => `<span class="tag">${t}</span>`)
        .join('')
    const ret = escapeHtml(target)
    const rows = users
      .map(
        u => `<div class="cell"><div class="av" style="background:${escapeHtml(u.avatar_color)}">${escapeHtml(u.nickname.slice(0, 1))}</div>
<div class="who"><b>${escapeHtml(u.nickname)}</b>${tags(u.openid)}<small>${u.openid === DEMO_OWNER.openid ? '演示商户「山川咖啡」的店主' : escapeHtml(u.openid)}</small></div>
<form method="post" action="/__wx/personas/switch"><input type="hidden" name="openid" value="${escapeHtml(u.openid)}"><input type="hidden" name="return" value="${ret}"><button class="mini">用TA扫码</button></form></div>`,
      )
      .join('')
    return sendScreen(
      reply,
      '沙箱微信扫码',
      `${css}<main class="list">
<h1>用沙箱微信扫码</h1><p>选一位沙箱微信用户来扫这个登录二维码：这个浏览器会切换为该用户，然后打开扫码确认页。</p>
<div class="cells">${rows || '<div class="cell">还没有沙箱用户。</div>'}</div>
<div class="bar"><form method="post" action="/__wx/personas/new"><input type="hidden" name="return" value="${ret}"><button class="btn btn-default">换一部新手机扫码</button></form></div></main>`,
    )
  })
}
