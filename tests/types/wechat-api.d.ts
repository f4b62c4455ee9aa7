/** The few calls of the wechat-api package (node-webot) that the sandbox's tests make. It ships no types. */
declare module 'wechat-api' {
  type Callback = (err: (Error & { code?: number }) | null, data: any) => void
  export default class WechatAPI {
    constructor(appid: string, appsecret: string)
    /** The API host, `https://api.weixin.qq.com` unless changed; every call's URL starts with it. */
    endpoint: string
    consumeCode(code: string, cardId: string, callback: Callback): void
    getCode(code: string, cardId: string, callback: Callback): void
  }
}
