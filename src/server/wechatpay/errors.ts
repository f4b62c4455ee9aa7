/**
 * WeChat Pay's refusals as one typed error ("HTTP 状态码及错误码",
 * pay.weixin.qq.com/docs/merchant/development/interface-rules/basic-rules.html). WeChat Pay
 * answers errors as {code, message, detail?}; the codes below are the ones Kaquan branches on.
 * Messages name the API, never a key or a signature.
 */
export const wxPayCodes = {
  /** Already done: a coupon redeemed (券已被其他订单核销), a stock's out_request_no reused (批次已存在). */
  alreadyExists: 'RESOURCE_ALREADY_EXISTS',
  notExists: 'RESOURCE_NOT_EXISTS',
  /** Redeeming as a merchant that did not create the stock. */
  noAuth: 'NO_AUTH',
  signError: 'SIGN_ERROR',
  appidMchidNotMatch: 'APPID_MCHID_NOT_MATCH',
  invalidRequest: 'INVALID_REQUEST',
  paramError: 'PARAM_ERROR',
  // Kaquan's own, for answers that never came or could not be trusted.
  network: 'NETWORK',
  timeout: 'TIMEOUT',
  unverified: 'UNVERIFIED_RESPONSE',
  malformed: 'MALFORMED_RESPONSE',
} as const

export class WxPayError extends Error {
  constructor(
    readonly api: string,
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(`WeChat Pay ${api} answered ${status || 'nothing'} ${code}: ${message}`)
  }

  /**
   * Worth another try with the same request: WeChat Pay says a 5xx has an unknown effect and is to be
   * retried with the same parameters; 429 is a rate limit. An answer that failed its signature, or
   * could not be read, is as good as no answer: its effect is unknown too.
   */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500 || this.untrusted
  }

  get untrusted(): boolean {
    return this.code === wxPayCodes.unverified || this.code === wxPayCodes.malformed
  }

  is(code: (typeof wxPayCodes)[keyof typeof wxPayCodes]): boolean {
    return this.code === code
  }
}
