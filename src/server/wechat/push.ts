/**
 * WeChat's server push (PROTOCOL.md e): signature check, safe-mode decryption with the
 * current and the previous EncodingAESKey, XML parsing, and the de-duplication key.
 * Pure of HTTP: routes.ts feeds it the query and body.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { decryptMessage, DecryptError, encryptMessage } from './crypto.ts'
import { pushSignature, sameSignature } from './sign.ts'

export interface PushConfig {
  appId: string
  token: string
  aesKey: string
  previousAesKey: string | null
}

export type PushEvent = Record<string, string>

export class PushRefused extends Error {
  constructor(
    readonly kind: 'signature' | 'stale' | 'malformed',
    message: string,
  ) {
    super(message)
  }
}

/** Pushes older or newer than this are refused: a captured push can't be replayed later. */
export const PUSH_WINDOW = 300

const parser = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: true, ignoreDeclaration: true })

export function verifyUrl(c: PushConfig, q: Record<string, string | undefined>): boolean {
  return sameSignature(q.signature, pushSignature([c.token, q.timestamp ?? '', q.nonce ?? '']))
}

function parseXml(xml: string): Record<string, unknown> {
  if (xml.length === 0 || XMLValidator.validate(xml) !== true)
    throw new PushRefused('malformed', 'body is not well-formed XML')
  const doc = parser.parse(xml) as { xml?: Record<string, unknown> }
  if (!doc.xml || typeof doc.xml !== 'object') throw new PushRefused('malformed', 'body has no <xml> root')
  return doc.xml
}

function flat(o: Record<string, unknown>): PushEvent {
  const out: PushEvent = {}
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v)
  return out
}

/** Verifies and opens a POSTed push. Throws PushRefused; never touches state. */
export function openPush(c: PushConfig, q: Record<string, string | undefined>, body: string, now: number): PushEvent {
  if (!verifyUrl(c, q)) throw new PushRefused('signature', 'signature does not match')
  const ts = Number(q.timestamp)
  if (!Number.isFinite(ts) || Math.abs(now - ts) > PUSH_WINDOW)
    throw new PushRefused('stale', 'timestamp is outside the accepted window')
  const outer = parseXml(body)
  if (q.encrypt_type !== 'aes') return flat(outer)

  const encrypted = typeof outer.Encrypt === 'string' ? outer.Encrypt : ''
  if (!encrypted) throw new PushRefused('malformed', 'safe-mode push without <Encrypt>')
  if (!sameSignature(q.msg_signature, pushSignature([c.token, q.timestamp ?? '', q.nonce ?? '', encrypted])))
    throw new PushRefused('signature', 'msg_signature does not match')
  for (const key of [c.aesKey, c.previousAesKey]) {
    if (!key) continue
    try {
      const { message, appid } = decryptMessage(key, encrypted)
      if (appid !== c.appId) throw new PushRefused('signature', 'push is for another appid')
      return flat(parseXml(message))
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err
    }
  }
  throw new PushRefused('malformed', 'Encrypt could not be decrypted with the current or previous key')
}

/** WeChat retries a push it thinks was missed; these fields name one event (PITFALLS.md 11). */
export function dedupKey(e: PushEvent): string {
  return [e.FromUserName, e.CreateTime, e.Event ?? e.MsgType, e.CardId, e.UserCardCode, e.MsgId]
    .map(v => v ?? '')
    .join('|')
}

/** Builds a push as WeChat would send it: used by the sandbox and by tests. */
export function sealPush(
  c: PushConfig,
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
