/**
 * WeChat's server push (消息加解密说明, developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.md):
 * signature check, safe-mode decryption with the current and the previous EncodingAESKey, XML
 * parsing, and the de-duplication key.
 * Pure of HTTP: routes.ts feeds it the query and body.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { z } from 'zod'
import { decryptMessage, DecryptError, encryptMessage } from './crypto.ts'
import { pushSignature, sameSignature } from './sign.ts'

export interface PushConfig {
  appId: string
  token: string
  aesKey: string
  previousAesKey: string | null
  pushMode: 'safe' | 'plain'
}

export type PushEvent = Record<string, string>

export class PushRefused extends Error {
  constructor(
    readonly kind: 'signature' | 'stale' | 'plaintext' | 'malformed',
    message: string,
  ) {
    super(message)
  }
}

/** Pushes older or newer than this are refused: a captured push can't be replayed later. */
export const PUSH_WINDOW = 300

/**
 * The query WeChat puts on the push URL ("消息加解密说明", developers.weixin.qq.com). Each is
 * one value: a repeated one is a forgery or a mistake, never WeChat.
 */
const param = z.string().max(256).optional()
export const pushQuery = z.object({
  signature: param,
  timestamp: param,
  nonce: param,
  echostr: z.string().max(1024).optional(),
  openid: param,
  encrypt_type: param,
  msg_signature: param,
})
export type PushQuery = z.infer<typeof pushQuery>

/**
 * WeChat's pushes are flat XML, a few levels deep at most, never with a DTD. Entities are not
 * processed (no entity bombs, no external entities); the five predefined ones and character
 * references are decoded by hand below.
 */
const MAX_DEPTH = 8
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
})

const predefined: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return predefined[ref] ?? whole
    const cp = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
    if (cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      throw new PushRefused('malformed', 'body has an invalid character reference')
    return String.fromCodePoint(cp)
  })
}

export function verifyUrl(c: PushConfig, q: PushQuery): boolean {
  return sameSignature(q.signature, pushSignature([c.token, q.timestamp ?? '', q.nonce ?? '']))
}

function parseXml(xml: string): Record<string, unknown> {
  if (xml.length === 0) throw new PushRefused('malformed', 'body is empty')
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new PushRefused('malformed', 'body has a DTD; WeChat never sends one')
  let doc: { xml?: unknown }
  try {
    if (XMLValidator.validate(xml) !== true) throw new Error('not well-formed')
    doc = parser.parse(xml)
  } catch {
    // Not well-formed, nested too deep, or a tag named like a JavaScript internal (__proto__).
    throw new PushRefused('malformed', 'body is not well-formed XML')
  }
  if (!isRecord(doc.xml)) throw new PushRefused('malformed', 'body has no single <xml> root')
  return doc.xml
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Top-level text fields; every one is stored or compared as text, so none may hold a NUL. */
function flat(o: Record<string, unknown>): PushEvent {
  const out: PushEvent = {}
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue
    const text = decodeEntities(String(v))
    if (text.includes('\u0000')) throw new PushRefused('malformed', `${k} holds a NUL character`)
    out[k] = text
  }
  return out
}

/**
 * Verifies and opens a POSTed push. Throws PushRefused; never touches state. The mode is the
 * configuration's: in plaintext mode `signature` covers only token, timestamp and nonce, so
 * a captured signature could carry any body; safe mode therefore accepts only encrypted
 * pushes, whose msg_signature covers the ciphertext.
 */
export function openPush(c: PushConfig, q: PushQuery, body: string, now: number): PushEvent {
  if (!verifyUrl(c, q)) throw new PushRefused('signature', 'signature does not match')
  const ts = Number(q.timestamp)
  if (!Number.isFinite(ts) || Math.abs(now - ts) > PUSH_WINDOW)
    throw new PushRefused('stale', 'timestamp is outside the accepted window')
  if (c.pushMode === 'plain') return flat(parseXml(body))
  if (q.encrypt_type !== 'aes') throw new PushRefused('plaintext', 'safe mode: the push must be encrypted')

  const outer = parseXml(body)
  const encrypted = typeof outer.Encrypt === 'string' ? outer.Encrypt : ''
  if (!encrypted) throw new PushRefused('malformed', 'safe-mode push without <Encrypt>')
  if (!sameSignature(q.msg_signature, pushSignature([c.token, q.timestamp ?? '', q.nonce ?? '', encrypted])))
    throw new PushRefused('signature', 'msg_signature does not match')
  for (const key of [c.aesKey, c.previousAesKey]) {
    if (!key) continue
    let opened: { message: string; appid: string }
    try {
      opened = decryptMessage(key, encrypted)
    } catch (err) {
      if (err instanceof DecryptError) continue
      throw err
    }
    if (opened.appid !== c.appId) throw new PushRefused('signature', 'push is for another appid')
    return flat(parseXml(opened.message))
  }
  throw new PushRefused('malformed', 'Encrypt could not be decrypted with the current or previous key')
}

/** WeChat retries a push it thinks was missed; these fields name one event, so distinct card events never collapse. */
export function dedupKey(e: PushEvent): string {
  return [e.FromUserName, e.CreateTime, e.Event ?? e.MsgType, e.CardId, e.UserCardCode, e.MsgId]
    .map(v => v ?? '')
    .join('|')
}

/** Builds a push as WeChat would send it: used by the sandbox and by tests. */
export function sealPush(
  c: Pick<PushConfig, 'appId' | 'token' | 'aesKey'>,
  fields: Record<string, string | number>,
  opts: { timestamp: number; nonce: string; safe: boolean },
): { query: Record<string, string>; body: string } {
  const inner = `<xml>${Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
    .join('')}</xml>`
  const timestamp = String(opts.timestamp)
  const query: Record<string, string> = {
    signature: pushSignature([c.token, timestamp, opts.nonce]),
    timestamp,
    nonce: opts.nonce,
    openid: String(fields.FromUserName ?? ''),
  }
  if (!opts.safe) return { query, body: inner }
  const encrypted = encryptMessage(c.aesKey, inner, c.appId)
  query.encrypt_type = 'aes'
  query.msg_signature = pushSignature([c.token, timestamp, opts.nonce, encrypted])
  return {
    query,
    body: `<xml><ToUserName><![CDATA[${fields.ToUserName ?? ''}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  }
}
