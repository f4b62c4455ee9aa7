/**
 * WeChat's web OAuth as the sandbox plays it: the authorize page (silent for snsapi_base,
 * a consent screen for snsapi_userinfo) and the /sns/* APIs with WeChat's error JSON.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { escapeHtml } from '../http/page.ts'
import { sendMessage, sendScreen } from './page.ts'
import { randomToken } from '../random.ts'
import { invalidArgs, wxArgs, wxText } from './access.ts'
import { issueToken, readToken } from './tokens.ts'
import { phoneUser, snapshotOpenid } from './users.ts'
import { sandboxDb } from './schema.ts'

const CODE_TTL = 5 * 60
const AUTHORIZE_ORDER = ['appid', 'redirect_uri', 'response_type', 'scope', 'state']

const link = z.string().max(4096)
const authorizeQuery = z.object({
  appid: link.optional(),
  redirect_uri: link.optional(),
  response_type: link.optional(),
  scope: link.optional(),
  state: link.optional(),
  forcePopup: link.optional(),
})
const decisionBody = z.object({
  appid: link,
  redirect_uri: link,
  scope: link.optional(),
  state: link.optional(),
  decision: link.optional(),
})
const codeQuery = z.object({
  appid: wxText.optional(),
  secret: wxText.optional(),
  code: wxText.optional(),
  grant_type: wxText.optional(),
})
const refreshQuery = z.object({
  appid: wxText.optional(),
  grant_type: wxText.optional(),
  refresh_token: z.string().max(2048).optional(),
})
const userQuery = z.object({
  access_token: z.string().max(2048).optional(),
  openid: wxText.optional(),
  lang: wxText.optional(),
})

/** WeChat shows its own error page, with a number, when the authorize link is wrong. */
function wxErrorPage(reply: FastifyReply, errcode: number, reason: string) {
  return sendMessage(reply, 200, { title: '该链接无法访问', message: `${reason}（错误码 ${errcode}）`, actions: [] })
}

function err(errcode: number, errmsg: string) {
  return { errcode, errmsg: `${errmsg} rid: sandbox-${randomToken(8)}` }
}

export function sandboxOAuth(app: FastifyInstance, deps: Deps): void {
  const { config, clock } = deps
  const db = sandboxDb(deps.db)
  const allowedHost = new URL(config.publicUrl).host

  function redirectWith(redirectUri: string, params: Record<string, string>) {
    const url = new URL(redirectUri)
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
    return url.toString()
  }

  app.get('/__wx/connect/oauth2/authorize', async (request, reply) => {
    const q = authorizeQuery.safeParse(request.query)
    if (!q.success) return wxErrorPage(reply, 10003, '参数错误：每个参数只能出现一次')
    // The order is part of what WeChat checks, and only the raw query string has it.
    const raw = request.url.slice(request.url.indexOf('?') + 1)
    const keys = [...new URLSearchParams(raw).keys()].filter(k => k !== 'forcePopup')
    if (keys.join(',') !== AUTHORIZE_ORDER.slice(0, keys.length).join(',') || keys.length < 4)
      return wxErrorPage(reply, 10003, '参数错误：参数须按 appid、redirect_uri、response_type、scope、state 的顺序')
    const appid = q.data.appid ?? ''
    const redirectUri = q.data.redirect_uri ?? ''
    const scope = q.data.scope ?? ''
    const state = q.data.state ?? ''
    if (appid !== config.wx.appId) return wxErrorPage(reply, 10012, 'appid 参数错误')
    if (!redirectUri) return wxErrorPage(reply, 10011, 'redirect_uri 参数错误')
    let target: URL
    try {
      target = new URL(redirectUri)
    } catch {
      return wxErrorPage(reply, 10011, 'redirect_uri 参数错误')
    }
    if (target.host !== allowedHost) return wxErrorPage(reply, 10003, 'redirect_uri 域名与后台配置不一致')
    if (q.data.response_type !== 'code') return wxErrorPage(reply, 10003, 'response_type 参数错误')
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo')
      return wxErrorPage(reply, 10005, '此公众号并没有这些 scope 的权限')
    if (Buffer.byteLength(state) > 128 || !/^[A-Za-z0-9]*$/.test(state))
      return wxErrorPage(reply, 10003, 'state 参数错误')

    const user = await phoneUser(deps, request, reply)
    if (scope === 'snsapi_base')
      return reply.redirect(redirectWith(redirectUri, { code: await issueCode(user.openid, scope), state }), 302)

    const hidden = Object.entries({ appid, redirect_uri: redirectUri, scope, state })
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
      .join('')
    return sendScreen(
      reply,
      '微信授权',
      `
<main class="msg"><div class="msg-icon msg-icon-success" style="background:${escapeHtml(user.avatar_color)}"></div>
<h1>卡券 申请使用</h1><p>你的昵称、头像（${escapeHtml(user.nickname)}）${user.snapshot ? '<br>当前为快照页模式' : ''}</p>
<form method="post" action="/__wx/connect/oauth2/authorize/decision" class="msg-actions">${hidden}
<button class="btn btn-primary" name="decision" value="allow">允许</button>
<button class="btn btn-default" name="decision" value="deny">拒绝</button></form></main>`,
    )
  })

  app.post('/__wx/connect/oauth2/authorize/decision', async (request, reply) => {
    const parsed = decisionBody.safeParse(request.body)
    if (!parsed.success) return wxErrorPage(reply, 10003, '参数错误')
    const body = parsed.data
    const redirectUri = body.redirect_uri
    let host = ''
    try {
      host = new URL(redirectUri).host
    } catch {
      /* refused below */
    }
    if (body.appid !== config.wx.appId || host !== allowedHost) return wxErrorPage(reply, 10003, '参数错误')
    const state = body.state ?? ''
    // Older clients send the user back with the state and no code when they refuse.
    if (body.decision !== 'allow') return reply.redirect(redirectWith(redirectUri, { state }), 302)
    const user = await phoneUser(deps, request, reply)
    return reply.redirect(
      redirectWith(redirectUri, { code: await issueCode(user.openid, 'snsapi_userinfo', user.snapshot === 1), state }),
      302,
    )
  })

  async function issueCode(openid: string, scope: string, snapshot = false): Promise<string> {
    const code = randomToken(32)
    await db
      .insertInto('sandbox_codes')
      .values({
        code,
        openid: snapshot ? snapshotOpenid(openid) : openid,
        appid: config.wx.appId,
        scope: snapshot ? `${scope},snapshot` : scope,
        created_at: clock.now(),
        used_at: null,
      })
      .execute()
    return code
  }

  app.get('/__wx/api/sns/oauth2/access_token', async request => {
    const q = wxArgs(codeQuery, request.query)
    if (!q) return invalidArgs()
    if (q.appid !== config.wx.appId) return err(40013, 'invalid appid')
    if (q.secret !== config.wx.appSecret) return err(40125, 'invalid appsecret')
    if (q.grant_type !== 'authorization_code') return err(40002, 'invalid grant_type')
    if (!q.code) return err(41008, 'missing code')
    const now = clock.now()
    const row = await db.selectFrom('sandbox_codes').selectAll().where('code', '=', q.code).executeTakeFirst()
    if (!row || row.created_at + CODE_TTL <= now) return err(40029, 'invalid code')
    const claimed = await db
      .updateTable('sandbox_codes')
      .set({ used_at: now })
      .where('code', '=', q.code)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) === 0) return err(40163, 'code been used')
    const snapshot = row.scope.endsWith(',snapshot')
    const scope = row.scope.replace(',snapshot', '')
    return {
      access_token: issueToken(deps, {
        k: 'access',
        o: row.openid,
        s: scope,
        e: now + 7200,
        ...(snapshot ? { snap: 1 as const } : {}),
      }),
      expires_in: 7200,
      refresh_token: issueToken(deps, { k: 'refresh', o: row.openid, s: scope, e: now + 30 * 86_400 }),
      openid: row.openid,
      scope,
      ...(snapshot ? { is_snapshotuser: 1 } : {}),
    }
  })

  app.get('/__wx/api/sns/oauth2/refresh_token', async request => {
    const q = wxArgs(refreshQuery, request.query)
    if (!q) return invalidArgs()
    if (q.appid !== config.wx.appId) return err(40013, 'invalid appid')
    const t = readToken(deps, q.refresh_token, 'refresh')
    if (!t) return err(40030, 'invalid refresh_token')
    const now = clock.now()
    return {
      access_token: issueToken(deps, { k: 'access', o: t.o, s: t.s, e: now + 7200 }),
      expires_in: 7200,
      refresh_token: q.refresh_token,
      openid: t.o,
      scope: t.s,
    }
  })

  app.get('/__wx/api/sns/auth', async request => {
    const q = wxArgs(userQuery, request.query)
    if (!q) return invalidArgs()
    const t = readToken(deps, q.access_token, 'access')
    if (!t || t.o !== q.openid) return err(40003, 'invalid openid')
    return { errcode: 0, errmsg: 'ok' }
  })

  app.get('/__wx/api/sns/userinfo', async request => {
    const q = wxArgs(userQuery, request.query)
    if (!q) return invalidArgs()
    const t = readToken(deps, q.access_token, 'access')
    if (!t) return err(40001, 'invalid credential, access_token is invalid or not latest')
    if (t.o !== q.openid) return err(40003, 'invalid openid')
    if (!t.s.includes('snsapi_userinfo') || t.snap) return err(48001, 'api unauthorized')
    const user = await db.selectFrom('sandbox_users').selectAll().where('openid', '=', t.o).executeTakeFirst()
    return {
      openid: t.o,
      nickname: user?.nickname ?? '微信用户',
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: `${config.publicUrl}/__wx/avatar/${encodeURIComponent(t.o)}.svg`,
      privilege: [],
    }
  })
}
