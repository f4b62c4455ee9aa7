/**
 * The sandbox's card wallet (卡包): cards the merchant created, the codes each sandbox user
 * holds, and the encrypted form of a code that WeChat hands to pages (wx.addCard's answer in the
 * JS-SDK说明文档, decrypted through Code解码接口).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { cardExtSignature } from '../wechat/sign.ts'
import { sealPush } from '../wechat/push.ts'
import { randomToken } from '../random.ts'
import type { Deferred } from './deferred.ts'
import { takeFault } from './faults.ts'
import { sandboxDb } from './schema.ts'
import { addBusifavorCards, holdsStock } from './wxpay/add-card.ts'

function codeKey(deps: Deps): Buffer {
  return createHash('sha256').update(`sandbox-card-code:${deps.config.wx.appSecret}`).digest()
}

export function encryptCode(deps: Deps, code: string): string {
  const iv = randomBytes(16)
  const c = createCipheriv('aes-256-cbc', codeKey(deps), iv)
  return Buffer.concat([iv, c.update(code, 'utf8'), c.final()]).toString('base64')
}

export function decryptCode(deps: Deps, encrypted: string): string | null {
  try {
    const raw = Buffer.from(encrypted, 'base64')
    if (raw.length < 32) return null
    const d = createDecipheriv('aes-256-cbc', codeKey(deps), raw.subarray(0, 16))
    return Buffer.concat([d.update(raw.subarray(16)), d.final()]).toString('utf8')
  } catch {
    return null
  }
}

export interface CardToAdd {
  card_id: string
  card_ext: string
}
export type AddResult =
  | { ok: true; list: { card_id: string; card_ext: string; is_succ: 1; code?: string }[] }
  | { ok: false; reason: string }

/** The fields of a card_ext (JS-SDK说明文档 附录4-卡券扩展字段及签名生成算法), each one text; WeChat ignores others. */
const cardExtSchema = z.object({
  code: z.string().max(64).optional(),
  openid: z.string().max(64).optional(),
  timestamp: z.string().max(20),
  nonce_str: z.string().max(64).optional(),
  signature: z.string().max(64),
  outer_str: z.string().max(256).optional(),
})

/** CardExt timestamps older than this are refused, as WeChat refuses stale ones. */
const EXT_MAX_AGE = 30 * 60

/** Checks every card_ext as WeChat does, then puts the cards in this user's wallet and pushes user_get_card. */
export async function addCards(deps: Deps, later: Deferred, openid: string, cards: CardToAdd[]): Promise<AddResult> {
  // 商家券: a card id that is a stock of the sandbox's WeChat Pay follows WeChat Pay's rules.
  if (await holdsStock(deps, cards)) return addBusifavorCards(deps, later, openid, cards)
  const { clock } = deps
  const db = sandboxDb(deps.db)
  const now = clock.now()
  const tickets = await db
    .selectFrom('sandbox_tickets')
    .select('ticket')
    .where('type', '=', 'wx_card')
    .where('expires_at', '>', now)
    .execute()
  const accepted: { card_id: string; card_ext: string; code: string; outer: string | null }[] = []
  for (const card of cards) {
    const known = await db
      .selectFrom('sandbox_cards')
      .select('card_id')
      .where('card_id', '=', card.card_id)
      .executeTakeFirst()
    if (!known) return { ok: false, reason: 'fail_invalid_card_id' }
    let json: unknown
    try {
      json = JSON.parse(card.card_ext)
    } catch {
      return { ok: false, reason: 'fail_invalid_card_ext' }
    }
    const ext = cardExtSchema.safeParse(json)
    if (!ext.success) return { ok: false, reason: 'fail_invalid_card_ext' }
    const { code, openid: boundTo, timestamp, nonce_str: nonce, signature, outer_str: outer } = ext.data
    if (Math.abs(now - Number(timestamp)) > EXT_MAX_AGE) return { ok: false, reason: 'fail_timestamp_expired' }
    const valid = tickets.some(
      t =>
        cardExtSignature({
          apiTicket: t.ticket,
          timestamp,
          cardId: card.card_id,
          code,
          openid: boundTo,
          nonceStr: nonce,
        }) === signature,
    )
    if (!valid) return { ok: false, reason: 'fail_invalid_signature' }
    if (boundTo && boundTo !== openid) return { ok: false, reason: 'fail_openid_not_match' }
    if (!code) return { ok: false, reason: 'fail_custom_code_required' }
    const taken = await db.selectFrom('sandbox_wallet').select('code').where('code', '=', code).executeTakeFirst()
    if (taken) return { ok: false, reason: 'fail_code_has_been_received' }
    accepted.push({
      card_id: card.card_id,
      card_ext: card.card_ext,
      code,
      outer: outer ?? null,
    })
  }
  for (const a of accepted)
    await db
      .insertInto('sandbox_wallet')
      .values({
        code: a.code,
        card_id: a.card_id,
        openid,
        outer_str: a.outer,
        status: 'NORMAL',
        added_at: now,
        consumed_at: null,
      })
      .execute()
  // WeChat pushes the event to the account's server on its own schedule, not before the page hears
  // back; the push's CreateTime is still the moment of the add.
  for (const a of accepted) {
    later.schedule(50, () =>
      pushEvent(deps, {
        FromUserName: openid,
        CreateTime: now,
        Event: 'user_get_card',
        CardId: a.card_id,
        UserCardCode: a.code,
        IsGiveByFriend: 0,
        FriendUserName: '',
        OuterId: 0,
        OldUserCardCode: '',
        OuterStr: a.outer ?? '',
        IsRestoreMemberCard: 0,
        IsRecommendByFriend: 0,
      }),
    )
  }
  return {
    ok: true,
    list: accepted.map(a => ({
      card_id: a.card_id,
      card_ext: a.card_ext,
      is_succ: 1 as const,
      code: encryptCode(deps, a.code),
    })),
  }
}

/**
 * Sends an event to the server's push URL as WeChat does: signed, encrypted in safe mode, retried
 * on failure with the same CreateTime (the event's own time: now, unless the caller gives it).
 */
export async function pushEvent(
  deps: Pick<Deps, 'config' | 'clock' | 'db'>,
  fields: Record<string, string | number>,
): Promise<boolean> {
  const { config, clock } = deps
  // A planned `push:<Event>` fault is a push WeChat never delivers (its three tries all lost).
  if ((await takeFault(sandboxDb(deps.db), `push:${fields.Event}`)) === 'fail') return false
  const all = { ToUserName: 'gh_sandbox00001', CreateTime: clock.now(), MsgType: 'event', ...fields }
  for (let attempt = 0; attempt < 3; attempt++) {
    // WeChat sends in the mode chosen in its console, which WX_PUSH_MODE mirrors.
    const sealed = sealPush(config.wx, all, {
      timestamp: clock.now(),
      nonce: randomToken(10),
      safe: config.wx.pushMode === 'safe',
    })
    try {
      const res = await fetch(`${config.publicUrl}/wechat/push?${new URLSearchParams(sealed.query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: sealed.body,
        signal: AbortSignal.timeout(5000),
      })
      if (res.ok && (await res.text()) === 'success') return true
    } catch {
      /* retried below, as WeChat retries three times */
    }
    await new Promise(r => setTimeout(r, 200))
  }
  return false
}
