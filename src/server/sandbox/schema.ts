/**
 * The sandbox's own tables: WeChat's side of the world (its users, OAuth codes, tokens, tickets,
 * cards and wallets, faults). They live only in a sandbox database, created by the sandbox's own
 * migrations, and only src/server/sandbox/ knows them.
 */
import type { Db } from '../db/index.ts'

export interface SandboxUsersTable {
  openid: string
  nickname: string
  avatar_color: string
  snapshot: number
  created_at: number
}

export interface SandboxCodesTable {
  code: string
  openid: string
  appid: string
  scope: string
  created_at: number
  used_at: number | null
}

export interface SandboxTokensTable {
  token: string
  appid: string
  endpoint: string
  created_at: number
  expires_at: number
  superseded_at: number | null
}

export interface SandboxTicketsTable {
  ticket: string
  type: string
  created_at: number
  expires_at: number
}

export interface SandboxCallsTable {
  api: string
  count: number
}

export interface SandboxFaultsTable {
  target: string
  mode: string
  remaining: number
}

export interface SandboxCardsTable {
  card_id: string
  title: string
  brand_name: string
  color: string
  created_at: number
}

export interface SandboxWalletTable {
  code: string
  card_id: string
  openid: string
  outer_str: string | null
  status: 'NORMAL' | 'CONSUMED' | 'DELETE'
  added_at: number
  consumed_at: number | null
}

export interface SandboxSettingsTable {
  key: string
  value: string
}

/** A 商家券 stock (批次) as WeChat Pay keeps it. Times are epoch seconds. */
export interface SandboxWxpayStocksTable {
  stock_id: string
  creator_mchid: string
  out_request_no: string
  belong_merchant: string
  stock_name: string
  goods_name: string
  stock_type: string
  coupon_code_mode: string
  stock_state: 'UNAUDIT' | 'RUNNING' | 'STOPED' | 'PAUSED'
  available_begin: number
  available_end: number
  days_after_receive: number | null
  max_coupons: number
  max_per_user: number
  sent: number
  notify_appid: string | null
  background_color: string | null
  request: string
  created_at: number
}

export type SandboxCouponState = 'SENDED' | 'USED' | 'EXPIRED' | 'DELETED' | 'DEACTIVATED'

/** A 商家券 in a sandbox user's wallet. */
export interface SandboxWxpayCouponsTable {
  stock_id: string
  coupon_code: string
  openid: string
  /** The out_request_no of the wx.addCard that issued it. */
  send_request_no: string
  state: SandboxCouponState
  receive_time: number
  available_start: number
  expire_time: number
  use_request_no: string | null
  use_time: number | null
  changed_at: number
}

export interface SandboxWxpayUsesTable {
  mchid: string
  use_request_no: string
  stock_id: string
  coupon_code: string
  /** The 200 answer's JSON, given again to a replay. */
  answer: string
  created_at: number
}

export interface SandboxWxpayCallbacksTable {
  mchid: string
  notify_url: string
  update_time: number
}

export interface SandboxWxpayDeliveriesTable {
  id: string
  url: string
  /** The notification's JSON envelope, the same bytes on every try. */
  body: string
  /** A wxpay:notify fault taken when it was made (lost, twice, badsig, probe, stale). */
  fault: string | null
  attempts: number
  delivered: number
  next_at_ms: number
  locked_until_ms: number | null
  done_at_ms: number | null
  last_status: string | null
  created_at: number
}

export type SandboxTables = {
  sandbox_users: SandboxUsersTable
  sandbox_codes: SandboxCodesTable
  sandbox_tokens: SandboxTokensTable
  sandbox_tickets: SandboxTicketsTable
  sandbox_calls: SandboxCallsTable
  sandbox_faults: SandboxFaultsTable
  sandbox_cards: SandboxCardsTable
  sandbox_wallet: SandboxWalletTable
  sandbox_settings: SandboxSettingsTable
  sandbox_wxpay_stocks: SandboxWxpayStocksTable
  sandbox_wxpay_coupons: SandboxWxpayCouponsTable
  sandbox_wxpay_uses: SandboxWxpayUsesTable
  sandbox_wxpay_callbacks: SandboxWxpayCallbacksTable
  sandbox_wxpay_deliveries: SandboxWxpayDeliveriesTable
}

export type SandboxDb = ReturnType<typeof sandboxDb>

/** The product's database seen with the sandbox's tables added. */
export function sandboxDb(db: Db) {
  return db.withTables<SandboxTables>()
}
