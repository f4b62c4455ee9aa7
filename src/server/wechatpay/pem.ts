/**
 * The two RSA keys WeChat Pay needs, read from PEM text or a file, with the mix-ups merchants make
 * (a certificate for a key, their own key for WeChat Pay's) told apart in words.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rsaSign, rsaVerify } from './sign.ts'

/** A problem with one variable's value; the caller knows the variable's name. */
export class KeyIssue extends Error {}

/** A PEM in the variable itself (real newlines or `\n` as a .env file writes them), or a file's path. */
function pemText(value: string, fileHint: string): string {
  const text = value.trim()
  if (text.startsWith('-----BEGIN')) return text.includes('\n') ? text : text.replace(/\\n/g, '\n')
  try {
    return readFileSync(text, 'utf8')
  } catch (err) {
    // Key material without its BEGIN line would land here: name the value only when it looks like a path.
    const shown = /^[\w./~: -]{1,200}$/.test(text) && !text.startsWith('MII') ? ` ${text}` : ''
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read the file'
    throw new KeyIssue(`${why}${shown}: give the PEM text (-----BEGIN …) or the path of ${fileHint}`)
  }
}

const rsa2048 = (k: KeyObject) => k.asymmetricKeyType === 'rsa' && (k.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048

export function loadPrivateKey(value: string): KeyObject {
  const text = pemText(value, 'apiclient_key.pem')
  if (text.includes('CERTIFICATE-----'))
    throw new KeyIssue('this is a certificate; give the private key (apiclient_key.pem), not apiclient_cert.pem')
  let key: KeyObject
  try {
    key = createPrivateKey(text)
  } catch {
    throw new KeyIssue('is not a PEM private key (-----BEGIN PRIVATE KEY-----, unencrypted)')
  }
  if (!rsa2048(key)) throw new KeyIssue('must be an RSA key of at least 2048 bits, as WeChat Pay issues')
  return key
}

export function loadPlatformPublicKey(value: string): KeyObject {
  const text = pemText(value, 'pub_key.pem')
  if (text.includes('PRIVATE KEY-----'))
    throw new KeyIssue("this is a private key; give WeChat Pay's public key (微信支付公钥, pub_key.pem)")
  if (text.includes('CERTIFICATE-----'))
    throw new KeyIssue(
      'this is a certificate; Kaquan verifies with the WeChat Pay public key (微信支付公钥, pub_key.pem from 账户中心 → API安全)',
    )
  let key: KeyObject
  try {
    key = createPublicKey(text)
  } catch {
    throw new KeyIssue('is not a PEM public key (-----BEGIN PUBLIC KEY-----)')
  }
  if (!rsa2048(key)) throw new KeyIssue('must be an RSA key of at least 2048 bits, as WeChat Pay issues')
  return key
}

/**
 * Signs and verifies once with the merchant key (a wrong key or serial shows up as 401 on every
 * call, as in wechatpay-apiv3/wechatpay-java#256), and makes sure the "platform" key is not the
 * merchant's own, a mix-up that passes every local check and then fails every answer.
 */
export function selfCheck(c: {
  privateKey: KeyObject
  platformPublicKey: KeyObject
}): { variable: string; message: string }[] {
  const own = createPublicKey(c.privateKey)
  const probe = `kaquan self-check ${randomBytes(8).toString('hex')}\n`
  let signed = false
  try {
    signed = rsaVerify(own, probe, rsaSign(c.privateKey, probe))
  } catch {}
  const issues: { variable: string; message: string }[] = []
  if (!signed) issues.push({ variable: 'WXPAY_PRIVATE_KEY', message: 'cannot make an RSA-SHA256 signature' })
  const der = (k: KeyObject) => k.export({ type: 'spki', format: 'der' })
  if (der(own).equals(der(c.platformPublicKey)))
    issues.push({
      variable: 'WXPAY_PLATFORM_PUBLIC_KEY',
      message: "is the merchant's own public key; give WeChat Pay's public key (微信支付公钥)",
    })
  return issues
}
