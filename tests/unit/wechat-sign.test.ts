import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decryptMessage, DecryptError, encryptMessage } from '../../src/server/wechat/crypto.ts'
import { cardExtSignature, jssdkSignature, pushSignature } from '../../src/server/wechat/sign.ts'

// The official examples: the JS-SDK doc's 附录1 and 附录4 examples, 消息加解密说明's push signature and
// WeCom's WXBizMsgCrypt sample.
const vectors = JSON.parse(readFileSync('tests/fixtures/wechat-vectors.json', 'utf8'))

describe('wx.config signature', () => {
  const v = vectors.jssdk_signature[0]
  const input = {
    jsapiTicket: v.input.jsapi_ticket,
    nonceStr: v.input.noncestr,
    timestamp: v.input.timestamp,
    url: v.input.url,
  }
  it('matches the official example', () => {
    expect(jssdkSignature(input)).toBe(v.expected_signature)
  })
  it.each(['jsapiTicket', 'nonceStr', 'timestamp', 'url'] as const)('changes when %s is tampered with', k => {
    expect(jssdkSignature({ ...input, [k]: `${input[k]}x` })).not.toBe(v.expected_signature)
  })
})

describe('cardExt signature', () => {
  const v = vectors.card_signature[0]
  const input = {
    apiTicket: v.input.api_ticket,
    timestamp: v.input.timestamp,
    cardId: v.input.card_id,
    code: v.input.code,
    nonceStr: v.input.nonce_str,
  }
  it('matches the official example', () => {
    expect(cardExtSignature(input)).toBe(v.expected_signature)
  })
  it.each(['apiTicket', 'timestamp', 'cardId', 'code', 'nonceStr'] as const)('changes when %s is tampered with', k => {
    expect(cardExtSignature({ ...input, [k]: `${input[k]}9` })).not.toBe(v.expected_signature)
  })
  it('signs the openid too when the card is bound to one', () => {
    expect(cardExtSignature({ ...input, openid: 'oUser' })).not.toBe(v.expected_signature)
  })
})

describe('push signature', () => {
  const v = vectors.server_verification[0]
  it('matches the official plaintext example', () => {
    expect(pushSignature([v.input.token, v.input.timestamp, v.input.nonce])).toBe(v.expected_signature)
  })
  it('changes with a tampered nonce', () => {
    expect(pushSignature([v.input.token, v.input.timestamp, `${v.input.nonce}1`])).not.toBe(v.expected_signature)
  })
})

describe('message crypto', () => {
  const [msg, verify] = vectors.message_crypto
  it('verifies and decrypts the official sample message', () => {
    const i = msg.input
    expect(pushSignature([i.token, i.timestamp, i.nonce, i.encrypt])).toBe(msg.expected.msg_signature)
    const out = decryptMessage(i.encoding_aes_key, i.encrypt)
    for (const part of msg.expected.plaintext_contains) expect(out.message).toContain(part)
    expect(out.appid).toBe(msg.expected.receiveid)
  })
  it('decrypts the official URL-verification echostr', () => {
    const i = verify.input
    expect(pushSignature([i.token, i.timestamp, i.nonce, i.echostr])).toBe(verify.expected.msg_signature)
    const out = decryptMessage(i.encoding_aes_key, i.echostr)
    expect(out.message).toBe(verify.expected.decrypted_echostr)
    expect(out.appid).toBe(verify.expected.receiveid)
  })
  it('round-trips with 32-byte PKCS#7 padding, including multi-byte text', () => {
    const key = msg.input.encoding_aes_key
    const enc = encryptMessage(key, '<xml><Content>你好</Content></xml>', 'wxabc')
    expect(Buffer.from(enc, 'base64').length % 32).toBe(0)
    expect(decryptMessage(key, enc)).toEqual({ message: '<xml><Content>你好</Content></xml>', appid: 'wxabc' })
  })
  it('refuses a ciphertext made with another key', () => {
    const enc = encryptMessage(msg.input.encoding_aes_key, 'hello', 'wxabc')
    expect(() => decryptMessage('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', enc)).toThrow(DecryptError)
  })
  it('refuses a tampered ciphertext', () => {
    const enc = Buffer.from(msg.input.encrypt, 'base64')
    enc[enc.length - 1] = enc[enc.length - 1]! ^ 0xff
    expect(() => decryptMessage(msg.input.encoding_aes_key, enc.toString('base64'))).toThrow(DecryptError)
  })
})
