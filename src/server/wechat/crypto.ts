/**
 * WeChat's message encryption (WXBizMsgCrypt, 消息加解密说明): AES-256-CBC, the key is the
 * base64 EncodingAESKey, the IV its first 16 bytes, PKCS#7 padding to 32-byte blocks, and
 * the plaintext is random(16) || length(4, big-endian) || message || appid.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const BLOCK = 32

export function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 characters')
  return key
}

export class DecryptError extends Error {}

export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; appid: string } {
  const key = aesKey(encodingAesKey)
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
    decipher.setAutoPadding(false)
    plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  } catch {
    throw new DecryptError('ciphertext is not valid')
  }
  const pad = plain[plain.length - 1] ?? 0
  if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) throw new DecryptError('bad padding')
  const body = plain.subarray(16, plain.length - pad)
  const len = body.readUInt32BE(0)
  if (len > body.length - 4) throw new DecryptError('bad length')
  return { message: body.subarray(4, 4 + len).toString('utf8'), appid: body.subarray(4 + len).toString('utf8') }
}

export function encryptMessage(
  encodingAesKey: string,
  message: string,
  appid: string,
  random: Buffer = randomBytes(16),
): string {
  const key = aesKey(encodingAesKey)
  const msg = Buffer.from(message, 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(msg.length, 0)
  const raw = Buffer.concat([random, len, msg, Buffer.from(appid, 'utf8')])
  const pad = BLOCK - (raw.length % BLOCK)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}
