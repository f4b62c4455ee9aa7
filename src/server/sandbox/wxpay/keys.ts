/**
 * The sandbox's WeChat Pay merchant, made once per database: a merchant API key pair and
 * certificate serial, a "WeChat Pay public key" pair and its PUB_KEY_ID_ (微信支付公钥,
 * pay.weixin.qq.com/docs/merchant/products/update-pub-key/wxp-pub-key-guide.html), and the APIv2
 * and APIv3 keys. Each key pair is one stored value, so processes starting at once can't mix halves.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomInt,
} from 'node:crypto'
import type { Db } from '../../db/index.ts'
import { randomToken } from '../../random.ts'
import { type WxPayConfig, wxPayConfigFrom } from '../../wechatpay/keys.ts'
import { sandboxSettings } from '../secrets.ts'

/** The sandbox merchant's number (商户号): ten digits, as WeChat Pay gives them. */
export const SANDBOX_MCHID = '1900009191'
/** What the wallet shows as the merchant: WeChat Pay uses the verified brand or short name. */
export const SANDBOX_MCH_NAME = '沙箱商户'

export interface SandboxWxPay {
  mchid: string
  apiV2Key: string
  apiV3Key: string
  certSerial: string
  merchantPrivatePem: string
  /** The sandbox checks requests with it, as WeChat Pay holds the merchant certificate. */
  merchantPublicKey: KeyObject
  /** The sandbox signs answers and callbacks with it. */
  platformPrivateKey: KeyObject
  platformPublicPem: string
  platformPublicKeyId: string
}

const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('')

async function sandboxWxPay(db: Db): Promise<SandboxWxPay> {
  const stored = await sandboxSettings(db, {
    wxpay_merchant_private_key: rsaPem,
    wxpay_platform_private_key: rsaPem,
    wxpay_apiv2_key: () => randomToken(32),
    wxpay_apiv3_key: () => randomToken(32),
    wxpay_cert_serial: () => randomBytes(20).toString('hex').toUpperCase(),
    wxpay_public_key_id: () => `PUB_KEY_ID_${digits(32)}`,
  })
  const merchantPrivatePem = stored.wxpay_merchant_private_key
  const platformPrivateKey = createPrivateKey(stored.wxpay_platform_private_key)
  return {
    mchid: SANDBOX_MCHID,
    apiV2Key: stored.wxpay_apiv2_key,
    apiV3Key: stored.wxpay_apiv3_key,
    certSerial: stored.wxpay_cert_serial,
    merchantPrivatePem,
    merchantPublicKey: createPublicKey(merchantPrivatePem),
    platformPrivateKey,
    platformPublicPem: createPublicKey(platformPrivateKey).export({ type: 'spki', format: 'pem' }).toString(),
    platformPublicKeyId: stored.wxpay_public_key_id,
  }
}

const cache = new WeakMap<Db, Promise<SandboxWxPay>>()

/** The same, read once per database handle: every sandbox answer is signed with these. */
export function sandboxWxPayKeys(db: Db): Promise<SandboxWxPay> {
  let keys = cache.get(db)
  if (!keys) {
    keys = sandboxWxPay(db)
    keys.catch(() => cache.delete(db))
    cache.set(db, keys)
  }
  return keys
}

/** Kaquan's WeChat Pay configuration for the sandbox, through the same checks real variables pass. */
export function sandboxWxPayConfig(s: SandboxWxPay, ctx: { appId: string; publicUrl: string }): WxPayConfig {
  const config = wxPayConfigFrom(
    {
      WXPAY_MCHID: s.mchid,
      WXPAY_APIV2_KEY: s.apiV2Key,
      WXPAY_APIV3_KEY: s.apiV3Key,
      WXPAY_PRIVATE_KEY: s.merchantPrivatePem,
      WXPAY_CERT_SERIAL: s.certSerial,
      WXPAY_PLATFORM_PUBLIC_KEY: s.platformPublicPem,
      WXPAY_PLATFORM_PUBLIC_KEY_ID: s.platformPublicKeyId,
      WXPAY_API_BASE: `${ctx.publicUrl}/__wxpay`,
    },
    ctx,
  )
  if (!config) throw new Error('the sandbox WeChat Pay configuration is empty')
  return config
}
