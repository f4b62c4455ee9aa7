/**
 * The encrypted `resource` of a WeChat Pay notification (WeChat Pay "证书和回调报文解密",
 * pay.weixin.qq.com/docs/merchant/development/interface-rules/certificate-callback-decryption.html):
 * AEAD_AES_256_GCM keyed with the 32-byte APIv3 key; nonce and associated_data are the UTF-8 bytes of
 * their strings; ciphertext is base64 of the encrypted bytes followed by the 16-byte tag.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'

const TAG = 16

export class DecryptError extends Error {}

export interface EncryptedResource {
  ciphertext: string
  nonce: string
  associated_data?: string
}

/** GCM with any AES key size; WeChat Pay's is always 256 bits, which decryptResource insists on. */
export function gcmOpen(key: Buffer, r: EncryptedResource): string {
  const raw = Buffer.from(r.ciphertext, 'base64')
  if (raw.length < TAG || !/^[A-Za-z0-9+/]*={0,2}$/.test(r.ciphertext))
    throw new DecryptError('ciphertext is not base64 of at least a tag')
  try {
    const d = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, Buffer.from(r.nonce, 'utf8'), {
      authTagLength: TAG,
    })
    d.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'))
    d.setAuthTag(raw.subarray(raw.length - TAG))
    return Buffer.concat([d.update(raw.subarray(0, raw.length - TAG)), d.final()]).toString('utf8')
  } catch {
    // The usual cause is a wrong APIv3 key (as in wechatpay-apiv3/wechatpay-go#247): the message never says
    // which part failed.
    throw new DecryptError('message authentication failed')
  }
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8')
  if (key.length !== 32) throw new DecryptError('the APIv3 key must be 32 bytes')
  return key
}

export function decryptResource(apiV3Key: string, r: EncryptedResource): string {
  return gcmOpen(apiV3KeyBytes(apiV3Key), r)
}

/** The sandbox's side: what WeChat Pay puts in `resource.ciphertext`. The nonce must be fresh for every message. */
export function encryptResource(apiV3Key: string, plaintext: string, nonce: string, associatedData: string): string {
  const c = createCipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(nonce, 'utf8'), { authTagLength: TAG })
  c.setAAD(Buffer.from(associatedData, 'utf8'))
  const encrypted = Buffer.concat([c.update(plaintext, 'utf8'), c.final()])
  return Buffer.concat([encrypted, c.getAuthTag()]).toString('base64')
}
