// @vitest-environment node
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/server/config.ts'
import { liveEnv as live } from '../helpers/config.ts'

const pem = (
  k: { export: (o: { type: 'pkcs8' | 'spki'; format: 'pem' }) => string | Buffer },
  type: 'pkcs8' | 'spki',
) => k.export({ type, format: 'pem' }).toString()
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 })
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pay = {
  WXPAY_MCHID: '1900000109',
  WXPAY_APIV2_KEY: 'KaquanLiveApiV2Key-0123456789abc',
  WXPAY_APIV3_KEY: 'KaquanLiveApiV3Key-0123456789abc',
  WXPAY_PRIVATE_KEY: pem(merchant.privateKey, 'pkcs8'),
  WXPAY_CERT_SERIAL: randomBytes(20).toString('hex').toUpperCase(),
  WXPAY_PLATFORM_PUBLIC_KEY: pem(platform.publicKey, 'spki'),
  WXPAY_PLATFORM_PUBLIC_KEY_ID: `PUB_KEY_ID_${'0114'.repeat(8)}`,
}
const message = (f: () => unknown) => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('no ConfigError')
}

describe('WeChat Pay in the configuration', () => {
  it('is off with real WeChat credentials and no WXPAY_ variable', () => {
    expect(loadConfig(live).wxpay).toBeNull()
  })

  it('is on with every WXPAY_ variable, its notify URL on PUBLIC_URL and appid the official account’s', () => {
    const c = loadConfig({ ...live, ...pay }).wxpay!
    expect(c).toMatchObject({
      mchid: '1900000109',
      apiBase: 'https://api.mch.weixin.qq.com',
      appId: live.WX_APPID,
      notifyUrl: 'https://coupons.example.com/wechatpay/notify',
    })
  })

  it('reads the private key from a file path as well as from PEM text', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kaquan-key-')), 'apiclient_key.pem')
    writeFileSync(file, pay.WXPAY_PRIVATE_KEY)
    expect(loadConfig({ ...live, ...pay, WXPAY_PRIVATE_KEY: file }).wxpay?.mchid).toBe('1900000109')
  })

  it.each([
    ['a missing variable', { WXPAY_APIV3_KEY: '' }, 'WXPAY_APIV3_KEY: required'],
    [
      'the APIv3 key where the APIv2 key goes, too long',
      { WXPAY_APIV2_KEY: `${pay.WXPAY_APIV3_KEY}x` },
      'WXPAY_APIV2_KEY',
    ],
    [
      'a certificate where the private key goes',
      { WXPAY_PRIVATE_KEY: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
      'WXPAY_PRIVATE_KEY',
    ],
    [
      'a key file that is not there',
      { WXPAY_PRIVATE_KEY: '/nowhere/apiclient_key.pem' },
      'WXPAY_PRIVATE_KEY: no such file',
    ],
    [
      'the merchant’s own public key as WeChat Pay’s',
      { WXPAY_PLATFORM_PUBLIC_KEY: pem(merchant.publicKey, 'spki') },
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ],
    [
      'a certificate serial as the public key id',
      { WXPAY_PLATFORM_PUBLIC_KEY_ID: pay.WXPAY_CERT_SERIAL },
      'WXPAY_PLATFORM_PUBLIC_KEY_ID',
    ],
    [
      'a plain-http PUBLIC_URL, where WeChat Pay never calls back',
      { PUBLIC_URL: 'http://coupons.example.com' },
      'PUBLIC_URL: must be https',
    ],
    ['a letter in the merchant number', { WXPAY_MCHID: '19000001O9' }, 'WXPAY_MCHID'],
  ])('stops the server at start on %s, naming the variable', (_n, over, words) => {
    expect(message(() => loadConfig({ ...live, ...pay, ...over }))).toContain(words)
  })

  it('names every missing variable when only WXPAY_MCHID is set', () => {
    const m = message(() => loadConfig({ ...live, WXPAY_MCHID: pay.WXPAY_MCHID }))
    for (const v of [
      'WXPAY_APIV2_KEY',
      'WXPAY_APIV3_KEY',
      'WXPAY_PRIVATE_KEY',
      'WXPAY_CERT_SERIAL',
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ])
      expect(m).toContain(`${v}: required`)
  })

  it('is left to the sandbox in sandbox mode, which refuses real WXPAY_ values by name', () => {
    expect(loadConfig({}).wxpay).toBeNull()
    expect(message(() => loadConfig({ WXPAY_MCHID: pay.WXPAY_MCHID }))).toContain(
      'WXPAY_MCHID: set only with real WeChat credentials',
    )
  })
})
