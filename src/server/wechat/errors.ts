/** WeChat's answers as typed errors. Messages name the API, never a secret or a token. */
export class WeChatError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} answered ${errcode}: ${errmsg}`)
  }

  /** -1 (system busy) and network trouble are worth another try; the rest are final. */
  get transient(): boolean {
    return this.errcode === -1 || this.errcode === WeChatError.NETWORK
  }

  static readonly NETWORK = -100
}

export const errcodes = {
  busy: -1,
  invalidCredential: 40001,
  invalidAppid: 40013,
  invalidCode: 40029,
  invalidAppsecret: 40125,
  codeUsed: 40163,
  ipNotWhitelisted: 40164,
  tokenExpired: 42001,
  quotaReached: 45009,
  unauthorized: 48001,
} as const
