/** WeChat's card REST APIs (PROTOCOL.md d.4) over the sandbox wallet. Registered inside the counted, faultable API scope. */
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps.ts'
import { checkAccessToken, wxErr } from './access.ts'
import { decryptCode } from './wallet.ts'
import { sandboxDb } from './schema.ts'

export function sandboxCardApi(api: FastifyInstance, deps: Deps): void {
  const { clock } = deps
  const db = sandboxDb(deps.db)
  const body = (b: unknown) => (b && typeof b === 'object' ? b : {}) as Record<string, unknown>

  api.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/__wx/api/card/')) return
    const bad = await checkAccessToken(deps, (request.query as Record<string, string>).access_token)
    if (bad) return reply.send(bad)
  })

  api.post('/__wx/api/card/code/decrypt', async request => {
    const enc = body(request.body).encrypt_code
    const code = typeof enc === 'string' ? decryptCode(deps, enc) : null
    if (!code) return wxErr(40056, 'invalid serial code')
    return { errcode: 0, errmsg: 'ok', code }
  })

  api.post('/__wx/api/card/code/get', async request => {
    const b = body(request.body)
    const row = await db
      .selectFrom('sandbox_wallet')
      .selectAll()
      .where('code', '=', String(b.code ?? ''))
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

  api.post('/__wx/api/card/code/consume', async request => {
    const b = body(request.body)
    const code = String(b.code ?? '')
    const row = await db.selectFrom('sandbox_wallet').selectAll().where('code', '=', code).executeTakeFirst()
    if (!row || (b.card_id && b.card_id !== row.card_id)) return wxErr(40056, 'invalid serial code')
    const done = await db
      .updateTable('sandbox_wallet')
      .set({ status: 'CONSUMED', consumed_at: clock.now() })
      .where('code', '=', code)
      .where('status', '=', 'NORMAL')
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) === 0) return wxErr(40099, 'invalid code, this code has consumed.')
    return { errcode: 0, errmsg: 'ok', card: { card_id: row.card_id }, openid: row.openid }
  })

  api.post('/__wx/api/card/get', async request => {
    const card = await db
      .selectFrom('sandbox_cards')
      .selectAll()
      .where('card_id', '=', String(body(request.body).card_id ?? ''))
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
