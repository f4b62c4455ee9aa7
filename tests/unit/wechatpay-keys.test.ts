import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WxPayConfigError, type WxPayEnv, wxPayConfigFrom } from '../../src/server/wechatpay/keys.ts'

const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))
const k = vectors.apiv3_test_keys
const ctx = { appId: 'wx1234567890abcdef', publicUrl: 'https://kaquan.example.com/' }
const good: WxPayEnv = {
  WXPAY_MCHID: k.mchid,
  WXPAY_APIV2_KEY: k.apiv2_key,
  WXPAY_APIV3_KEY: k.apiv3_key,
  WXPAY_PRIVATE_KEY: k.merchant_private_key_pem,
  WXPAY_CERT_SERIAL: k.merchant_serial_no,
  WXPAY_PLATFORM_PUBLIC_KEY: k.platform_public_key_pem,
  WXPAY_PLATFORM_PUBLIC_KEY_ID: k.platform_public_key_id,
}

const dir = mkdtempSync(join(tmpdir(), 'kaquan-wxpay-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The variables named in the error, or [] when the config was accepted. */
function refused(env: WxPayEnv, c = ctx): string[] {
  try {
    wxPayConfigFrom(env, c)
    return []
  } catch (err) {
    if (!(err instanceof WxPayConfigError)) throw err
    for (const i of err.issues) expect(err.message).toContain(`${i.variable}: ${i.message}`)
    return err.issues.map(i => i.variable)
  }
}

describe('WeChat Pay configuration', () => {
  it('is off when no WXPAY_ variable is set', () => {
    expect(wxPayConfigFrom({}, ctx)).toBeNull()
    expect(wxPayConfigFrom({ WXPAY_MCHID: '', WXPAY_APIV3_KEY: '  ' }, ctx)).toBeNull()
  })

  it('turns a full set into keys, the default host and the notify URL', () => {
    const c = wxPayConfigFrom(good, ctx)!
    expect(c).toMatchObject({
      mchid: k.mchid,
      certSerial: k.merchant_serial_no,
      platformPublicKeyId: k.platform_public_key_id,
      apiBase: 'https://api.mch.weixin.qq.com',
      appId: ctx.appId,
      notifyUrl: 'https://kaquan.example.com/wechatpay/notify',
    })
    expect(c.privateKey.type).toBe('private')
    expect(c.platformPublicKey.export({ type: 'spki', format: 'pem' })).toBe(k.platform_public_key_pem)
  })

  it('reads the private key from a file path, and from one-line PEM with \\n escapes', () => {
    const path = join(dir, 'apiclient_key.pem')
    writeFileSync(path, k.merchant_private_key_pem)
    expect(wxPayConfigFrom({ ...good, WXPAY_PRIVATE_KEY: path }, ctx)?.privateKey.type).toBe('private')
    const oneLine = (k.merchant_private_key_pem as string).replace(/\n/g, '\\n')
    expect(wxPayConfigFrom({ ...good, WXPAY_PRIVATE_KEY: oneLine }, ctx)?.privateKey.type).toBe('private')
  })

  it('takes another API base without its trailing slash (the sandbox) and then allows http', () => {
    const c = wxPayConfigFrom(
      { ...good, WXPAY_API_BASE: 'http://localhost:8080/__wxpay/' },
      { ...ctx, publicUrl: 'http://localhost:8080' },
    )
    expect(c?.apiBase).toBe('http://localhost:8080/__wxpay')
  })

  it('names every missing variable when only some are set', () => {
    expect(refused({ WXPAY_MCHID: k.mchid, WXPAY_APIV3_KEY: k.apiv3_key })).toEqual([
      'WXPAY_APIV2_KEY',
      'WXPAY_PRIVATE_KEY',
      'WXPAY_CERT_SERIAL',
      'WXPAY_PLATFORM_PUBLIC_KEY',
      'WXPAY_PLATFORM_PUBLIC_KEY_ID',
    ])
  })

  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const pem = (key: KeyObject) =>
    key.type === 'private'
      ? (key.export({ type: 'pkcs8', format: 'pem' }) as string)
      : (key.export({ type: 'spki', format: 'pem' }) as string)
  const cert = vectors.sdk_vectors[0].certificate_pem

  it.each<[string, WxPayEnv, string]>([
    ['a merchant number with letters', { WXPAY_MCHID: '19000001O9' }, 'WXPAY_MCHID'],
    ['an APIv2 key of 31 characters', { WXPAY_APIV2_KEY: k.apiv2_key.slice(1) }, 'WXPAY_APIV2_KEY'],
    ['an APIv2 key with a space', { WXPAY_APIV2_KEY: `${k.apiv2_key.slice(2)} x` }, 'WXPAY_APIV2_KEY'],
    ['an APIv3 key of 33 bytes', { WXPAY_APIV3_KEY: `${k.apiv3_key}0` }, 'WXPAY_APIV3_KEY'],
    [
      'an APIv3 key of 32 characters but more bytes',
      { WXPAY_APIV3_KEY: `商${k.apiv3_key.slice(1)}` },
      'WXPAY_APIV3_KEY',
    ],
    ['a private key file that is not there', { WXPAY_PRIVATE_KEY: join(dir, 'missing.pem') }, 'WXPAY_PRIVATE_KEY'],
    ['a certificate for the private key', { WXPAY_PRIVATE_KEY: cert }, 'WXPAY_PRIVATE_KEY'],
    ['a public key for the private key', { WXPAY_PRIVATE_KEY: k.merchant_public_key_pem }, 'WXPAY_PRIVATE_KEY'],
    ['a 1024-bit private key', { WXPAY_PRIVATE_KEY: pem(small.privateKey) }, 'WXPAY_PRIVATE_KEY'],
    ['an EC private key', { WXPAY_PRIVATE_KEY: pem(ec.privateKey) }, 'WXPAY_PRIVATE_KEY'],
    ['a serial of 39 hex digits', { WXPAY_CERT_SERIAL: k.merchant_serial_no.slice(1) }, 'WXPAY_CERT_SERIAL'],
    ['the public key id as the serial', { WXPAY_CERT_SERIAL: k.platform_public_key_id }, 'WXPAY_CERT_SERIAL'],
    [
      'the platform private key for its public key',
      { WXPAY_PLATFORM_PUBLIC_KEY: k.platform_private_key_pem },
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ],
    ['a certificate for the platform key', { WXPAY_PLATFORM_PUBLIC_KEY: cert }, 'WXPAY_PLATFORM_PUBLIC_KEY'],
    [
      "the merchant's own public key as WeChat Pay's",
      { WXPAY_PLATFORM_PUBLIC_KEY: k.merchant_public_key_pem },
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ],
    [
      'garbage for the platform key',
      { WXPAY_PLATFORM_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----' },
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ],
    [
      'a platform certificate serial as the key id',
      { WXPAY_PLATFORM_PUBLIC_KEY_ID: 'D7CE59D1F522D701' },
      'WXPAY_PLATFORM_PUBLIC_KEY_ID',
    ],
    ['an API base that is not a URL', { WXPAY_API_BASE: 'api.mch.weixin.qq.com' }, 'WXPAY_API_BASE'],
  ])('refuses %s, naming the variable', (_, change, variable) => {
    expect(refused({ ...good, ...change })).toEqual([variable])
  })

  it('accepts any other RSA-2048 key pair (the check is about shape, not about one key)', () => {
    expect(refused({ ...good, WXPAY_PRIVATE_KEY: pem(other.privateKey) })).toEqual([])
  })

  it('never prints key material that is missing its BEGIN line', () => {
    const body = (k.merchant_private_key_pem as string).split('\n').slice(1, -2).join('')
    try {
      wxPayConfigFrom({ ...good, WXPAY_PRIVATE_KEY: body }, ctx)
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).toMatch(/^WXPAY_PRIVATE_KEY: /)
      expect((err as Error).message).not.toContain(body.slice(0, 16))
    }
  })

  it('asks for an https PUBLIC_URL when talking to the real WeChat Pay, whose callbacks go only to https', () => {
    expect(refused(good, { ...ctx, publicUrl: 'http://kaquan.example.com' })).toEqual(['PUBLIC_URL'])
    const backup = { ...good, WXPAY_API_BASE: 'https://api2.mch.weixin.qq.com' }
    expect(refused(backup, { ...ctx, publicUrl: 'http://kaquan.example.com' })).toEqual(['PUBLIC_URL'])
  })

  it('reports every wrong variable at once', () => {
    expect(refused({ ...good, WXPAY_MCHID: 'x', WXPAY_APIV3_KEY: 'short' })).toEqual(['WXPAY_MCHID', 'WXPAY_APIV3_KEY'])
  })
})
