/**
 * The server half of the sandbox's WeixinJSBridge: the script the page loads, and what a
 * real WeChat client would check on WeChat's servers (the wx.config signature, card_ext
 * signatures) or keep on the phone (the card wallet).
 */
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { jssdkSignature, sameSignature } from '../wechat/sign.ts'
import type { Deferred } from './deferred.ts'
import { addCards, pushEvent } from './wallet.ts'
import { phoneUser } from './users.ts'
import { sandboxDb } from './schema.ts'
import { busifavorScannable, busifavorWallet, deleteBusifavor, stockCards } from './wxpay/wallet-view.ts'

const script = readFileSync(new URL('./bridge-script.js', import.meta.url), 'utf8')

const verifyBody = z
  .object({
    appId: z.string().max(64),
    timestamp: z.union([z.string(), z.number()]).transform(String),
    nonceStr: z.string().max(64),
    signature: z.string().max(64),
    url: z.string().max(2048),
  })
  .passthrough()
const addBody = z.object({
  card_list: z
    .array(z.object({ card_id: z.string().max(64), card_ext: z.string().max(2048) }))
    .min(1)
    .max(10),
})
const codeBody = z.object({ code: z.string().min(1).max(64) }).strict()
const cardsQuery = z.object({ ids: z.string().max(1024).optional() })

export function sandboxBridge(app: FastifyInstance, deps: Deps, later: Deferred): void {
  const { config, clock } = deps
  const db = sandboxDb(deps.db)
  const host = new URL(config.publicUrl).host

  app.get('/__wx/bridge.js', (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  )

  /** preVerifyJSAPI as WeChat's servers judge it: the domain, the appid, then the signature. */
  app.post('/__wx/bridge/verify', async request => {
    const b = parse(verifyBody, request.body, 'body')
    let urlHost = ''
    try {
      urlHost = new URL(b.url).host
    } catch {
      /* judged below */
    }
    if (urlHost !== host) return { ok: false, reason: 'invalid url domain' }
    if (b.appId !== config.wx.appId) return { ok: false, reason: 'invalid appid' }
    const tickets = await db
      .selectFrom('sandbox_tickets')
      .select('ticket')
      .where('type', '=', 'jsapi')
      .where('expires_at', '>', clock.now())
      .execute()
    const ok = tickets.some(t =>
      sameSignature(
        b.signature,
        jssdkSignature({ jsapiTicket: t.ticket, nonceStr: b.nonceStr, timestamp: b.timestamp, url: b.url }),
      ),
    )
    return ok ? { ok: true } : { ok: false, reason: 'invalid signature' }
  })

  app.get('/__wx/bridge/cards', async request => {
    const ids = (parse(cardsQuery, request.query, 'query').ids ?? '').split(',').filter(Boolean).slice(0, 10)
    const cards = ids.length
      ? await db.selectFrom('sandbox_cards').selectAll().where('card_id', 'in', ids).execute()
      : []
    return { cards: [...cards, ...(await stockCards(deps, ids))] }
  })

  app.post('/__wx/bridge/add-card', async (request, reply) => {
    const b = parse(addBody, request.body, 'body')
    const user = await phoneUser(deps, request, reply)
    return addCards(deps, later, user.openid, b.card_list)
  })

  /** What the camera could see: the newest codes in any sandbox user's wallet, for the scan dialog. */
  app.get('/__wx/bridge/scannable', async () => {
    const cards = await db
      .selectFrom('sandbox_wallet')
      .innerJoin('sandbox_cards', 'sandbox_cards.card_id', 'sandbox_wallet.card_id')
      .select(['sandbox_wallet.code', 'sandbox_cards.title'])
      .where('sandbox_wallet.status', '=', 'NORMAL')
      .orderBy('sandbox_wallet.added_at', 'desc')
      .limit(8)
      .execute()
    return { cards: [...(await busifavorScannable(deps)), ...cards] }
  })

  app.get('/__wx/bridge/wallet', async (request, reply) => {
    const user = await phoneUser(deps, request, reply)
    const cards = await db
      .selectFrom('sandbox_wallet')
      .innerJoin('sandbox_cards', 'sandbox_cards.card_id', 'sandbox_wallet.card_id')
      .select([
        'sandbox_wallet.code',
        'sandbox_wallet.card_id',
        'sandbox_wallet.status',
        'sandbox_cards.title',
        'sandbox_cards.brand_name',
        'sandbox_cards.color',
      ])
      .where('sandbox_wallet.openid', '=', user.openid)
      .where('sandbox_wallet.status', '!=', 'DELETE')
      .orderBy('sandbox_wallet.added_at', 'desc')
      .execute()
    return { openid: user.openid, cards: [...(await busifavorWallet(deps, user.openid)), ...cards] }
  })

  /** The user deletes a card from the wallet: WeChat tells the account with user_del_card. */
  app.post('/__wx/bridge/wallet/delete', async (request, reply) => {
    const { code } = parse(codeBody, request.body, 'body')
    const user = await phoneUser(deps, request, reply)
    if (await deleteBusifavor(deps, user.openid, code)) return { ok: true }
    const row = await db
      .selectFrom('sandbox_wallet')
      .selectAll()
      .where('code', '=', code)
      .where('openid', '=', user.openid)
      .executeTakeFirst()
    if (!row) return { ok: false }
    await db.updateTable('sandbox_wallet').set({ status: 'DELETE' }).where('code', '=', code).execute()
    return {
      ok: await pushEvent(deps, {
        FromUserName: user.openid,
        Event: 'user_del_card',
        CardId: row.card_id,
        UserCardCode: code,
      }),
    }
  })

  /** A clerk consumes the card with WeChat's own tools (卡券助手): WeChat pushes user_consume_card. */
  app.post('/__wx/bridge/wallet/consume', async request => {
    const { code } = parse(codeBody, request.body, 'body')
    const row = await db.selectFrom('sandbox_wallet').selectAll().where('code', '=', code).executeTakeFirst()
    if (row?.status !== 'NORMAL') return { ok: false }
    await db
      .updateTable('sandbox_wallet')
      .set({ status: 'CONSUMED', consumed_at: clock.now() })
      .where('code', '=', code)
      .execute()
    return {
      ok: await pushEvent(deps, {
        FromUserName: row.openid,
        Event: 'user_consume_card',
        CardId: row.card_id,
        UserCardCode: code,
        ConsumeSource: 'FROM_MOBILE_HELPER',
        LocationName: '',
        StaffOpenId: 'oSandboxStaff000000000000000',
        VerifyCode: '',
        RemarkAmount: '',
        OuterStr: row.outer_str ?? '',
      }),
    }
  })
}
