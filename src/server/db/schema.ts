import type { Generated } from 'kysely'
import type { MemberRole } from '../../shared/api/console.ts'
import type { OfferStatus } from '../../shared/api/offers.ts'

/**
 * Table types. Times are epoch seconds (bigint on PostgreSQL, read back as numbers);
 * booleans are 0/1 integers so both engines store them alike; money is integer fen.
 */
export interface MerchantsTable {
  id: string
  name: string
  logo_url: string | null
  created_at: number
}

export interface StoresTable {
  id: string
  merchant_id: string
  name: string
  address: string
  created_at: number
}

export interface OffersTable {
  id: string
  merchant_id: string
  title: string
  kind: 'cash' | 'discount' | 'gift'
  value_fen: number
  threshold_fen: number
  discount_percent: number | null
  gift_name: string | null
  description: string
  /** Newline-separated lines of the rules shown under the offer. */
  rules: string
  image_url: string | null
  stock_total: number
  stock_left: number
  per_user_limit: number
  starts_at: number
  ends_at: number
  validity_type: 'fixed' | 'relative'
  valid_from: number | null
  valid_to: number | null
  valid_days: number | null
  /** 1 when valid in every store of the merchant; otherwise see offer_stores. */
  all_stores: number
  wx_card_id: string | null
  /** A 商家券 stock in WeChat Pay (coupon_code_mode MERCHANT_API); never set together with wx_card_id. */
  wx_stock_id: string | null
  created_at: number
}

/** An offer's console columns: written with defaults when omitted (rows made before the console are live). */
export interface OfferLifecycle {
  status: OfferStatus
  /** Bumped by every console save and stock top-up, never by a claim: the editor's If-Match. */
  version: number
  updated_at: number
}

/** An offer as read back: every column. */
export type OfferRow = OffersTable & OfferLifecycle

export interface OfferStoresTable {
  offer_id: string
  store_id: string
}

export interface UsersTable {
  id: string
  openid: string
  nickname: string | null
  avatar_url: string | null
  is_snapshot: number
  created_at: number
  last_login_at: number
}

/** How many coupons a user holds of an offer: the per-user limit is a conditional upsert on it. */
export interface ClaimCountsTable {
  user_id: string
  offer_id: string
  claimed: number
}

export interface CouponsTable {
  id: string
  offer_id: string
  user_id: string
  code: string
  claimed_at: number
  valid_from: number
  valid_to: number
  channel: string
  ref: string | null
  store_id: string | null
  in_wallet: number
  wallet_added_at: number | null
  /** Set when the user deleted the card from WeChat's wallet; the coupon stays usable as H5. */
  wallet_removed_at: number | null
  redeemed_at: number | null
  redeemed_store_id: string | null
  /** The clerk's user id, or null when WeChat's own tools consumed it. */
  redeemed_by: string | null
  redeemed_source: 'clerk' | 'wechat' | null
}

export interface ClaimKeysTable {
  user_id: string
  key: string
  offer_id: string
  coupon_id: string
  created_at: number
}

export interface OauthStatesTable {
  token: string
  return_path: string
  scope: string
  /** 0 for a first login, 1 for the one automatic retry after a bad code or an expired state. */
  attempt: number
  created_at: number
  expires_at: number
  used_at: number | null
  /** A hash of the user agent and address that started the login, checked when the start cookie is lost. */
  browser: string | null
}

export interface EventsTable {
  id: string
  type: 'view' | 'claim' | 'wallet_add' | 'redeem'
  merchant_id: string
  offer_id: string | null
  coupon_id: string | null
  user_id: string | null
  store_id: string | null
  channel: string
  ref: string | null
  created_at: number
  /** For a view: who viewed (visitor cookie), counted once a day per target in the funnel. */
  viewer: string | null
}

export interface WxCredentialsTable {
  appid: string
  kind: string
  value: string | null
  expires_at: number
  /** While set and in the future, one process is fetching a fresh value; the others wait for it. */
  lock_until: number | null
  failures: number
  retry_at: number | null
  last_error: string | null
  updated_at: number
}

export interface WxPushEventsTable {
  dedup_key: string
  event: string
  from_user: string
  payload: string
  received_at: number
}

export interface ClerkInvitesTable {
  token_hash: string
  store_id: string
  merchant_id: string
  created_at: number
  expires_at: number
  used_at: number | null
  used_by: string | null
}
export interface ClerksTable {
  id: string
  user_id: string
  store_id: string
  merchant_id: string
  created_at: number
  revoked_at: number | null
}
export interface WxOutboxTable {
  id: string
  /** consume: card/code/consume of a legacy card; busifavor_use: WeChat Pay's coupons/use of a 商家券. */
  kind: 'consume' | 'busifavor_use'
  coupon_id: string
  /** JSON: the request body WeChat receives. */
  payload: string
  attempts: number
  next_at: number
  locked_until: number | null
  done_at: number | null
  last_error: string | null
  created_at: number
}

/** The out_request_no of the latest 商家券 cardExt signed for a coupon (the latest counts). */
export interface BusifavorSendsTable {
  coupon_id: string
  out_request_no: string
  created_at: number
}

/** WeChat Pay callbacks handled, by notification id. */
export interface WxpayNotificationsTable {
  id: string
  event_type: string
  /** The decrypted resource, JSON, kept for the merchant's records. */
  resource: string
  received_at: number
}

export interface LimitCountersTable {
  key: string
  window_start: number
  hits: number
  expires_at: number
}

export interface SessionRevocationsTable {
  id: string
  user_id: string
  /** One ended session (logout), or null with issued_before: every session issued up to that second. */
  sid: string | null
  issued_before: number | null
  created_at: number
  /** Sessions live 30 days: after that the revocation has nothing left to end. */
  expires_at: number
}

/** The funnel by China day and (offer, channel, store, sharer); '' where an event has none of one. */
export interface FunnelDailyTable {
  merchant_id: string
  day: string
  offer_id: string
  channel: string
  store_id: string
  ref: string
  /** One of the key's rows (db/migrations/2026-12-06-funnel-slots.ts): readers sum over slots. */
  slot: number
  views: number
  claims: number
  wallet_adds: number
  redemptions: number
}

export interface ViewMarksTable {
  day: string
  merchant_id: string
  /** offer, channel, store and sharer of the view, joined. */
  target: string
  viewer: string
}

/** A person's role at a merchant; read on every console request, so a change counts at once. */
export interface MerchantMembersTable {
  id: string
  merchant_id: string
  user_id: string
  role: MemberRole
  created_at: number
}

export interface MemberInvitesTable {
  token_hash: string
  merchant_id: string
  role: MemberRole
  /** The member who made it; null for the operator's owner invite. */
  created_by: string | null
  created_at: number
  expires_at: number
  used_at: number | null
  used_by: string | null
}

/** Stored states; `expired` is derived from expires_at. */
export type StoredTicketStatus = 'pending' | 'scanned' | 'confirmed' | 'used' | 'cancelled'

export interface LoginTicketsTable {
  id: string
  /** sha256 of the secret in the QR code's link. */
  token_hash: string
  /** sha256 of the secret in the desktop's binding cookie. */
  binding_hash: string
  status: StoredTicketStatus
  /** The person who scanned (and then confirmed) it. */
  user_id: string | null
  /** A rough description of the desktop browser, shown on the phone. */
  browser: string
  created_at: number
  expires_at: number
  updated_at: number
}

export interface AuditLogTable {
  id: string
  merchant_id: string
  /** The member who did it; null for the operator. */
  actor_id: string | null
  action: string
  target_type: 'offer' | 'store' | 'clerk' | 'member' | 'channel' | 'merchant'
  target_id: string
  target_label: string
  /** JSON: [{ field, before, after }]. */
  changes: string
  created_at: number
}

/** A merchant's named way in; `code` is what links carry as ch=. */
export interface ChannelsTable {
  id: string
  merchant_id: string
  code: string
  name: string
  kind: 'share' | 'poster'
  offer_id: string | null
  store_id: string | null
  created_by: string | null
  created_at: number
}

export interface CatalogVersionTable {
  id: number
  version: number
}

export interface Database {
  merchants: MerchantsTable
  stores: StoresTable
  offers: OffersTable & { [K in keyof OfferLifecycle]: Generated<OfferLifecycle[K]> }
  offer_stores: OfferStoresTable
  users: UsersTable
  claim_counts: ClaimCountsTable
  coupons: CouponsTable
  claim_keys: ClaimKeysTable
  oauth_states: OauthStatesTable
  events: EventsTable
  wx_credentials: WxCredentialsTable
  wx_push_events: WxPushEventsTable
  clerk_invites: ClerkInvitesTable
  clerks: ClerksTable
  wx_outbox: WxOutboxTable
  wxpay_notifications: WxpayNotificationsTable
  busifavor_sends: BusifavorSendsTable
  limit_counters: LimitCountersTable
  session_revocations: SessionRevocationsTable
  funnel_daily: FunnelDailyTable
  view_marks: ViewMarksTable
  merchant_members: MerchantMembersTable
  member_invites: MemberInvitesTable
  login_tickets: LoginTicketsTable
  audit_log: AuditLogTable
  channels: ChannelsTable
  catalog_version: CatalogVersionTable
}
