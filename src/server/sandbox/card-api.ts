/**
 * WeChat's card REST APIs (微信卡券 "核销卡券": Code解码, 查询Code, 核销Code; "管理卡券": 查看卡券详情) over the
 * sandbox wallet. Registered inside the counted, faultable API scope.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { checkAccessToken, invalidArgs, wxArgs, wxErr, wxText } from './access.ts'
import type { Deferred } from './deferred.ts'
import { decryptCode, pushEvent } from './wallet.ts'
import { sandboxDb } from './schema.ts'

const tokenQuery = z.object({ access_token: wxText.optional() })
const decryptBody = z.object({ encrypt_code: z.string().max(1024).optional() })
const codeBody = z.object({ code: wxText.optional(), card_id: wxText.optional() })
const getBody = codeBody.extend({ check_consume: z.boolean().optional() })
const cardBody = z.object({ card_id: wxText.optional() })

export function sandboxCardApi(api: FastifyInstance, deps: Deps, later: Deferred): void {
  const { clock } = deps
  const db = sandboxDb(deps.db)

  api.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/__wx/api/card/')) return
    const q = wxArgs(tokenQuery, request.query)
    if (!q) return reply.send(invalidArgs())
    const bad = await checkAccessToken(deps, q.access_token)
    if (bad) return reply.send(bad)
  })

  api.post('/__wx/api/card/code/decrypt', async request => {
    const b = wxArgs(decryptBody, request.body)
    if (!b) return invalidArgs()
    const code = b.encrypt_code ? decryptCode(deps, b.encrypt_code) : null
    if (!code) return wxErr(40056, 'invalid serial code')
    return { errcode: 0, errmsg: 'ok', code }
  })

  api.post('/__wx/api/card/code/get', async request => {
    const b = wxArgs(getBody, request.body)
    if (!b) return invalidArgs()
    const row = await db
      .selectFrom('sandbox_wallet')
      .selectAll()
      .where('code', '=', b.code ?? '')
      .executeTakeFirst()
    if (!row || (b.card_id && b.card_id !== row.card_id)) return wxErr(40056, 'invalid serial code')
    if (b.check_consume === true && row.status !== 'NORMAL') return wxErr(40127, 'invalid user-card status')
    const status = row.status === 'NORMAL' ? 'NORMAL' : row.status === 'CONSUMED' ? 'CONSUMED' : 'DELETE'
    return {
      errcode: 0,
      errmsg: 'ok',
      card: { card_id: row.card_id, begin_time: row.added_at, end_time: row.added_at + 365 * 86_400 },
      openid: row.openid,
      can_consume: status === 'NORMAL',
      outer_str: row.outer_str ?? '',
      user_card_status: status,
    }
  })

  /**
   * The merchant's server consumes a code. WeChat then pushes user_consume_card with
   * ConsumeSource FROM_API, as it does for every way a code is consumed ("卡券事件推送",
   * developers.weixin.qq.com), so the account hears of it even when another system called.
   */
  api.post('/__wx/api/card/code/consume', async request => {
    const b = wxArgs(codeBody, request.body)
    if (!b) return invalidArgs()
    const code = b.code ?? ''
    const row = await db.selectFrom('sandbox_wallet').selectAll().where('code', '=', code).executeTakeFirst()
    if (!row || (b.card_id && b.card_id !== row.card_id)) return wxErr(40056, 'invalid serial code')
    const consumedAt = clock.now()
    const done = await db
      .updateTable('sandbox_wallet')
      .set({ status: 'CONSUMED', consumed_at: consumedAt })
      .where('code', '=', code)
      .where('status', '=', 'NORMAL')
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) === 0)
      // 40127 is WeChat's "deleted or given away by the user"; 40099 "already consumed".
      return row.status === 'DELETE'
        ? wxErr(40127, 'invalid user-card status')
        : wxErr(40099, 'invalid code, this code has consumed.')
    later.schedule(50, () =>
      pushEvent(deps, {
        FromUserName: row.openid,
        CreateTime: consumedAt,
        Event: 'user_consume_card',
        CardId: row.card_id,
        UserCardCode: code,
        ConsumeSource: 'FROM_API',
        LocationName: '',
        StaffOpenId: '',
        VerifyCode: '',
        RemarkAmount: '',
        OuterStr: row.outer_str ?? '',
      }),
    )
    return { errcode: 0, errmsg: 'ok', card: { card_id: row.card_id }, openid: row.openid }
  })

  api.post('/__wx/api/card/get', async request => {
    const b = wxArgs(cardBody, request.body)
    if (!b) return invalidArgs()
    const card = await db
      .selectFrom('sandbox_cards')
      .selectAll()
      .where('card_id', '=', b.card_id ?? '')
      .executeTakeFirst()
    if (!card) return wxErr(40073, 'invalid card id')
    return {
      errcode: 0,
      errmsg: 'ok',
      card: {
        card_type: 'GENERAL_COUPON',
        general_coupon: {
          base_info: {
            id: card.card_id,
            title: card.title,
            brand_name: card.brand_name,
            color: card.color,
            code_type: 'CODE_TYPE_QRCODE',
            use_custom_code: true,
          },
        },
      },
    }
  })
}
