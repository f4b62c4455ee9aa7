/**
 * Every error the API can answer with: one closed set, shared by server and web, and the extra
 * fields each code carries beside `code` and `message`. Errors are `{ "error": ApiErrorBody }`.
 */
export const errorStatus = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  unknown_code: 404,
  sold_out: 409,
  limit_reached: 409,
  offer_not_live: 409,
  idempotency_key_reused: 409,
  no_wallet_card: 409,
  code_mismatch: 409,
  already_redeemed: 409,
  expired: 409,
  not_yet_valid: 409,
  not_valid_at_store: 409,
  other_merchant: 409,
  invite_invalid: 409,
  version_conflict: 412,
  invalid_status: 409,
  offer_locked: 409,
  last_owner: 409,
  stock_invalid: 409,
  rate_limited: 429,
  wechat_unavailable: 502,
  internal: 500,
} as const

export type ErrorCode = keyof typeof errorStatus

/** The fields a code carries besides code and message. Codes not listed carry none. */
export interface ErrorExtras {
  /** The first bad field, and every one, each with its message (field paths like `title`, `validity.days`). */
  invalid_request: { field?: string; issues?: { field: string; message: string }[] }
  /** Someone else saved first: the version now stored. */
  version_conflict: { version: number }
  /** A lifecycle move that isn't allowed (statusMoves in offers.ts). */
  invalid_status: { from: string; to: string }
  /** Fields that can't change once coupons were issued. */
  offer_locked: { fields: string[] }
  /** Where to send the browser to log in and come back. */
  unauthenticated: { loginUrl?: string }
  /** When and where it was used; `store` is null when WeChat's own tools consumed it. */
  already_redeemed: { redeemedAt: string; store: { id: string; name: string } | null; source: 'clerk' | 'wechat' }
  expired: { validTo: string }
  not_yet_valid: { validFrom: string }
}

export type ExtrasOf<C extends ErrorCode> = C extends keyof ErrorExtras ? ErrorExtras[C] : Record<never, never>

/** The error body as a discriminated union on `code`. */
export type ApiErrorBody = { [C in ErrorCode]: { code: C; message: string } & ExtrasOf<C> }[ErrorCode]

export interface ErrorBody {
  error: ApiErrorBody
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorStatus, value)
}
