/** Every error the API can answer with. One closed set, shared by server and web. */
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
  rate_limited: 429,
  wechat_unavailable: 502,
  internal: 500,
} as const

export type ErrorCode = keyof typeof errorStatus

export interface ErrorBody {
  error: { code: ErrorCode; message: string; loginUrl?: string }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorStatus, value)
}
