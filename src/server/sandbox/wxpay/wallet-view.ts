/**
 * 商家券 in the sandbox's own WeChat screens: the 添加 sheet, 我的卡包 and the counter's scan
 * dialog show them beside legacy cards, in the same shape (a used coupon reads as CONSUMED).
 */
import type { Deps } from '../../deps.ts'
import { type SandboxCouponState, sandboxDb } from '../schema.ts'
import { couponState } from './coupons.ts'
import { SANDBOX_MCH_NAME } from './keys.ts'

// WeChat's card colours by name, as display_pattern_info.background_color gives them.
const colors: Record<string, string> = {
  Color010: '#63b359',
  Color020: '#2c9f67',
  Color030: '#509fc9',
  Color040: '#5885cf',
  Color050: '#9062c0',
  Color060: '#d09a45',
  Color070: '#e4b138',
  Color080: '#ee903c',
  Color081: '#f08500',
  Color082: '#a9d92d',
  Color090: '#dd6549',
  Color100: '#cc463d',
  Color101: '#cf3e36',
  Color102: '#5e6671',
}
const colorOf = (name: string | null) => colors[name ?? ''] ?? colors.Color090!
const brand = `商家券 · ${SANDBOX_MCH_NAME}`

const walletStatus: Record<SandboxCouponState, string> = {
  SENDED: 'NORMAL',
  USED: 'CONSUMED',
  EXPIRED: 'EXPIRE',
  DEACTIVATED: 'UNAVAILABLE',
  DELETED: 'DELETE',
}

/** Stocks among `ids`, as the 添加 sheet shows cards. */
export async function stockCards(deps: Deps, ids: string[]) {
  if (!ids.length) return []
  const rows = await sandboxDb(deps.db)
    .selectFrom('sandbox_wxpay_stocks')
    .select(['stock_id', 'goods_name', 'background_color'])
    .where('stock_id', 'in', ids)
    .execute()
  return rows.map(s => ({
    card_id: s.stock_id,
    title: s.goods_name,
    brand_name: brand,
    color: colorOf(s.background_color),
  }))
}

function coupons(deps: Deps) {
  return sandboxDb(deps.db)
    .selectFrom('sandbox_wxpay_coupons')
    .innerJoin('sandbox_wxpay_stocks', 'sandbox_wxpay_stocks.stock_id', 'sandbox_wxpay_coupons.stock_id')
    .selectAll('sandbox_wxpay_coupons')
    .select(['sandbox_wxpay_stocks.goods_name', 'sandbox_wxpay_stocks.background_color'])
}

/** This user's 商家券 in 我的卡包, deleted ones left out as WeChat leaves them out. */
export async function busifavorWallet(deps: Deps, openid: string) {
  const now = deps.clock.now()
  const rows = await coupons(deps)
    .where('sandbox_wxpay_coupons.openid', '=', openid)
    .where('sandbox_wxpay_coupons.state', '!=', 'DELETED')
    .orderBy('sandbox_wxpay_coupons.receive_time', 'desc')
    .execute()
  return rows.map(c => ({
    code: c.coupon_code,
    card_id: c.stock_id,
    status: walletStatus[couponState(c, now)],
    title: c.goods_name,
    brand_name: brand,
    color: colorOf(c.background_color),
  }))
}

/** Usable 商家券 codes any sandbox user could show the camera. */
export async function busifavorScannable(deps: Deps) {
  const rows = await coupons(deps)
    .where('sandbox_wxpay_coupons.state', '=', 'SENDED')
    .where('sandbox_wxpay_coupons.expire_time', '>', deps.clock.now())
    .orderBy('sandbox_wxpay_coupons.receive_time', 'desc')
    .limit(8)
    .execute()
  return rows.map(c => ({ code: c.coupon_code, title: c.goods_name }))
}

/**
 * The user deletes a 商家券 from the wallet. WeChat Pay calls nobody back for this; the merchant
 * sees DELETED when it asks. False when this user holds no such 商家券.
 */
export async function deleteBusifavor(deps: Deps, openid: string, code: string): Promise<boolean> {
  const done = await sandboxDb(deps.db)
    .updateTable('sandbox_wxpay_coupons')
    .set({ state: 'DELETED', changed_at: deps.clock.now() })
    .where('openid', '=', openid)
    .where('coupon_code', '=', code)
    .where('state', '=', 'SENDED')
    .executeTakeFirst()
  return Number(done.numUpdatedRows) > 0
}
