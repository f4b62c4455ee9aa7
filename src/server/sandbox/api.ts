/**
 * WeChat's server APIs as the sandbox plays them: tokens (a superseded /cgi-bin/token token
 * keeps working for 5 minutes, as on WeChat), stable_token (the same token until 5 minutes
 * before expiry), tickets, and the fault and call-count controls tests use.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { randomToken } from '../random.ts'
import { checkAccessToken, GRACE, invalidArgs, wxArgs, wxErr, wxText } from './access.ts'
import { sandboxCardApi } from './card-api.ts'
import type { Deferred } from './deferred.ts'
import { callCounts, clearFaults, countCall, faultModes, planFault, takeFault } from './faults.ts'
import { sandboxDb } from './schema.ts'

const TOKEN_TTL = 7200

const tokenQuery = z.object({ grant_type: wxText.optional(), appid: wxText.optional(), secret: wxText.optional() })
const stableTokenBody = tokenQuery.extend({ force_refresh: z.boolean().optional() })
const ticketQuery = z.object({ access_token: wxText.optional(), type: wxText.optional() })
const nextFaultParams = z.object({ target: z.string().regex(/^[a-zA-Z]{1,32}$/, 'a bridge API name') })

const faultAnswers: Record<string, [number, string]> = {
  '-1': [-1, 'system error'],
  40001: [40001, 'invalid credential, access_token is invalid or not latest'],
  45009: [45009, 'reach max api daily quota limit'],
  40097: [40097, 'invalid args'],
}

export function sandboxApi(app: FastifyInstance, deps: Deps, later: Deferred): void {
  const { config, clock } = deps
  const db = sandboxDb(deps.db)

  app.register(async api => {
    // Every call is counted, then may meet a planned fault, before the API itself answers.
    api.addHook('preHandler', async (request, reply) => {
      const path = request.routeOptions.url!.replace('/__wx/api', '')
      await countCall(db, path)
      const fault = await takeFault(db, path)
      if (!fault) return
      if (fault === 'hang') {
        await new Promise(r => setTimeout(r, 10_000))
        return reply.send(wxErr(-1, 'system error'))
      }
      const [code, msg] = faultAnswers[fault] ?? [-1, 'system error']
      return reply.send(wxErr(code, msg))
    })

    api.get('/__wx/api/cgi-bin/token', async request => {
      const q = wxArgs(tokenQuery, request.query)
      if (!q) return invalidArgs()
      if (q.grant_type !== 'client_credential') return wxErr(40002, 'invalid grant_type')
      if (q.appid !== config.wx.appId) return wxErr(40013, 'invalid appid')
      if (q.secret !== config.wx.appSecret)
        return wxErr(40001, 'invalid credential, access_token is invalid or not latest')
      const now = clock.now()
      // Each fetch supersedes the previous token, which keeps working for 5 more minutes.
      await db
        .updateTable('sandbox_tokens')
        .set({ superseded_at: now })
        .where('endpoint', '=', 'classic')
        .where('superseded_at', 'is', null)
        .execute()
      const token = `ACCESS_${randomToken(64)}`
      await db
        .insertInto('sandbox_tokens')
        .values({
          token,
          appid: config.wx.appId,
          endpoint: 'classic',
          created_at: now,
          expires_at: now + TOKEN_TTL,
          superseded_at: null,
        })
        .execute()
      return { access_token: token, expires_in: TOKEN_TTL }
    })

    api.post('/__wx/api/cgi-bin/stable_token', async request => {
      const b = wxArgs(stableTokenBody, request.body)
      if (!b) return invalidArgs()
      if (b.grant_type !== 'client_credential') return wxErr(40002, 'invalid grant_type')
      if (b.appid !== config.wx.appId) return wxErr(40013, 'invalid appid')
      if (b.secret !== config.wx.appSecret) return wxErr(40125, 'invalid appsecret')
      const now = clock.now()
      const current = await db
        .selectFrom('sandbox_tokens')
        .selectAll()
        .where('endpoint', '=', 'stable')
        .where('superseded_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst()
      if (current && b.force_refresh !== true && current.expires_at - now > GRACE)
        return { access_token: current.token, expires_in: current.expires_at - now }
      if (b.force_refresh === true)
        await db
          .updateTable('sandbox_tokens')
          .set({ superseded_at: now - GRACE })
          .where('endpoint', '=', 'stable')
          .execute()
      else
        await db
          .updateTable('sandbox_tokens')
          .set({ superseded_at: now })
          .where('endpoint', '=', 'stable')
          .where('superseded_at', 'is', null)
          .execute()
      const token = `STABLE_${randomToken(64)}`
      await db
        .insertInto('sandbox_tokens')
        .values({
          token,
          appid: config.wx.appId,
          endpoint: 'stable',
          created_at: now,
          expires_at: now + TOKEN_TTL,
          superseded_at: null,
        })
        .execute()
      return { access_token: token, expires_in: TOKEN_TTL }
    })

    api.get('/__wx/api/cgi-bin/ticket/getticket', async request => {
      const q = wxArgs(ticketQuery, request.query)
      if (!q) return invalidArgs()
      const bad = await checkAccessToken(deps, q.access_token)
      if (bad) return bad
      if (q.type !== 'jsapi' && q.type !== 'wx_card') return wxErr(40097, 'invalid args')
      const now = clock.now()
      const current = await db
        .selectFrom('sandbox_tickets')
        .selectAll()
        .where('type', '=', q.type)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .executeTakeFirst()
      if (current) return { errcode: 0, errmsg: 'ok', ticket: current.ticket, expires_in: current.expires_at - now }
      const ticket = `${q.type === 'jsapi' ? 'JSAPI' : 'CARD'}_${randomToken(48)}`
      await db
        .insertInto('sandbox_tickets')
        .values({ ticket, type: q.type, created_at: now, expires_at: now + TOKEN_TTL })
        .execute()
      return { errcode: 0, errmsg: 'ok', ticket, expires_in: TOKEN_TTL }
    })

    sandboxCardApi(api, deps, later)
  })

  const faultBody = z
    .object({
      target: z
        .string()
        .min(1)
        .max(128)
        .regex(
          /^(\/[a-z0-9_/-]+|bridge:[a-zA-Z]+|push:[a-z_]+|wxpay:(\*|notify|\/v3\/[a-z0-9_/{}-]+))$/,
          'an API path, bridge:<api>, push:<event>, wxpay:<path>, wxpay:* or wxpay:notify',
        ),
      mode: z.enum(faultModes),
      count: z.number().int().min(1).max(1000).default(1),
    })
    .strict()
  app.post('/__wx/faults', async (request, reply) => {
    const f = parse(faultBody, request.body, 'body')
    await planFault(db, f.target, f.mode, f.count)
    return reply.status(204).send()
  })
  app.delete('/__wx/faults', async (_request, reply) => {
    await clearFaults(db)
    return reply.status(204).send()
  })
  app.get('/__wx/stats', async () => ({ calls: await callCounts(db) }))
  app.get('/__wx/faults/next/:target', async request => {
    const { target } = parse(nextFaultParams, request.params, 'params')
    return { mode: await takeFault(db, `bridge:${target}`) }
  })
}
