/**
 * WeChat's SHA-1 signatures (JS-SDK说明文档 附录1-JS-SDK使用权限签名算法 and 附录4-卡券扩展字段及签名生成算法;
 * the server-push signatures of 消息加解密说明). Pure functions, tested against the official examples
 * (附录1's, 附录4's and the push doc's) in tests/fixtures/wechat-vectors.json.
 */
import { createHash } from 'node:crypto'

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex')

/** wx.config: keys sorted (always jsapi_ticket, noncestr, timestamp, url), raw values, no escaping. */
export function jssdkSignature(p: { jsapiTicket: string; nonceStr: string; timestamp: string; url: string }): string {
  return sha1(`jsapi_ticket=${p.jsapiTicket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${p.url}`)
}

/** cardExt: the VALUES of api_ticket, timestamp, card_id, code, openid, nonce_str, sorted as strings and joined. Empty ones count for nothing. */
export function cardExtSignature(p: {
  apiTicket: string
  timestamp: string
  cardId: string
  code?: string
  openid?: string
  nonceStr?: string
}): string {
  return sha1(
    [p.apiTicket, p.timestamp, p.cardId, p.code ?? '', p.openid ?? '', p.nonceStr ?? '']
      .filter(Boolean)
      .sort()
      .join(''),
  )
}

/** Server verification and push: sha1 of the sorted token, timestamp, nonce (and the Encrypt field in safe mode). */
export function pushSignature(parts: string[]): string {
  return sha1([...parts].sort().join(''))
}

/** Constant-time-ish comparison of two hex signatures. */
export function sameSignature(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
