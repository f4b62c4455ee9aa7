/**
 * WeChat Pay's configuration: the WXPAY_* variables checked and turned into keys, so a wrong
 * value stops the server at start with the variable's name instead of failing later as a 401
 * on a phone. config.ts (the only reader of process.env) hands the raw values over.
 */
import type { KeyObject } from 'node:crypto'
import { KeyIssue, loadPlatformPublicKey, loadPrivateKey, selfCheck } from './pem.ts'

export interface WxPayConfig {
  mchid: string
  /** APIv2 key (API密钥): signs the cardExt of wx.addCard. */
  apiV2Key: string
  /** APIv3 key (APIv3密钥): decrypts callbacks. 32 bytes. */
  apiV3Key: string
  /** The merchant API private key (apiclient_key.pem): signs every request. */
  privateKey: KeyObject
  /** The merchant API certificate's serial, sent as serial_no. */
  certSerial: string
  /** 微信支付公钥: verifies every answer and callback. */
  platformPublicKey: KeyObject
  /** Its id, `PUB_KEY_ID_…`: sent as Wechatpay-Serial, expected back. */
  platformPublicKeyId: string
  apiBase: string
  /** The official account bound to the mchid: redemption's appid and the stock's notify_appid. */
  appId: string
  notifyUrl: string
}

/** Every variable WeChat Pay's configuration reads; config.ts hands over exactly these. */
export const WXPAY_VARS = [
  'WXPAY_MCHID',
  'WXPAY_APIV2_KEY',
  'WXPAY_APIV3_KEY',
  'WXPAY_PRIVATE_KEY',
  'WXPAY_CERT_SERIAL',
  'WXPAY_PLATFORM_PUBLIC_KEY',
  'WXPAY_PLATFORM_PUBLIC_KEY_ID',
  'WXPAY_API_BASE',
] as const

export type WxPayEnv = Partial<Record<(typeof WXPAY_VARS)[number], string>>

export const WXPAY_API_BASE = 'https://api.mch.weixin.qq.com'
export const NOTIFY_PATH = '/wechatpay/notify'

export interface ConfigIssue {
  variable: string
  message: string
}

/** Every problem found, one line each, `VARIABLE: what is wrong`. */
export class WxPayConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(i => `${i.variable}: ${i.message}`).join('\n'))
  }
}

/** All but WXPAY_API_BASE, which defaults to WeChat Pay's own host. */
const REQUIRED = WXPAY_VARS.filter(
  (v): v is Exclude<(typeof WXPAY_VARS)[number], 'WXPAY_API_BASE'> => v !== 'WXPAY_API_BASE',
)

const checks = {
  WXPAY_MCHID: (v: string) => {
    if (!/^[0-9]{8,12}$/.test(v)) throw new KeyIssue('must be the merchant number (商户号), digits only')
    return v
  },
  WXPAY_APIV2_KEY: (v: string) => {
    if (v.length !== 32) throw new KeyIssue(`must be the 32-character APIv2 key (API密钥), got ${v.length} characters`)
    if (!/^[\x21-\x7e]+$/.test(v))
      throw new KeyIssue('must be the APIv2 key (API密钥): ASCII letters, digits and symbols')
    return v
  },
  WXPAY_APIV3_KEY: (v: string) => {
    const n = Buffer.byteLength(v, 'utf8')
    if (n !== 32) throw new KeyIssue(`must be the 32-byte APIv3 key (APIv3密钥), got ${n} bytes`)
    return v
  },
  WXPAY_CERT_SERIAL: (v: string) => {
    if (!/^[0-9A-Fa-f]{40}$/.test(v))
      throw new KeyIssue(
        "must be the merchant API certificate's serial (商户API证书序列号), 40 hex digits; it is not the public key id",
      )
    return v.toUpperCase()
  },
  WXPAY_PLATFORM_PUBLIC_KEY_ID: (v: string) => {
    // The docs say 32 digits after the prefix; merchants report longer ones, so any run of digits passes.
    if (!/^PUB_KEY_ID_[0-9]{16,64}$/.test(v))
      throw new KeyIssue("must be the WeChat Pay public key's id, PUB_KEY_ID_ followed by digits")
    return v
  },
}

function apiBaseOf(v: string | undefined): string {
  if (v === undefined) return WXPAY_API_BASE
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw new KeyIssue('must be a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KeyIssue('must be an http(s) URL')
  if (url.search || url.hash) throw new KeyIssue('must have no query or fragment')
  return v.replace(/\/+$/, '')
}

/**
 * The WXPAY_* variables as a WxPayConfig; null when none is set (then 商家券 is off). Throws
 * WxPayConfigError naming every variable that is missing or wrong.
 */
export function wxPayConfigFrom(raw: WxPayEnv, ctx: { appId: string; publicUrl: string }): WxPayConfig | null {
  const env = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== '')) as WxPayEnv
  if (Object.keys(env).length === 0) return null
  const issues: ConfigIssue[] = []
  const take = <T>(variable: string, f: () => T): T | undefined => {
    try {
      return f()
    } catch (err) {
      if (!(err instanceof KeyIssue)) throw err
      issues.push({ variable, message: err.message })
      return undefined
    }
  }
  for (const v of REQUIRED)
    if (env[v] === undefined) issues.push({ variable: v, message: 'required when any WXPAY_ variable is set' })
  const field = <T>(v: (typeof REQUIRED)[number], check: (value: string) => T): T | undefined =>
    env[v] === undefined ? undefined : take(v, () => check(env[v]!.trim()))
  const mchid = field('WXPAY_MCHID', checks.WXPAY_MCHID)
  const apiV2Key = field('WXPAY_APIV2_KEY', checks.WXPAY_APIV2_KEY)
  const apiV3Key = field('WXPAY_APIV3_KEY', checks.WXPAY_APIV3_KEY)
  const certSerial = field('WXPAY_CERT_SERIAL', checks.WXPAY_CERT_SERIAL)
  const platformPublicKeyId = field('WXPAY_PLATFORM_PUBLIC_KEY_ID', checks.WXPAY_PLATFORM_PUBLIC_KEY_ID)
  const privateKey = field('WXPAY_PRIVATE_KEY', loadPrivateKey)
  const platformPublicKey = field('WXPAY_PLATFORM_PUBLIC_KEY', loadPlatformPublicKey)
  const apiBase = take('WXPAY_API_BASE', () => apiBaseOf(env.WXPAY_API_BASE?.trim()))
  // WeChat Pay calls back only to https addresses without a query (设置商家券事件通知地址); the
  // sandbox, on another host, takes plain http.
  const live = apiBase !== undefined && new URL(apiBase).hostname.endsWith('.mch.weixin.qq.com')
  if (live && !ctx.publicUrl.startsWith('https://'))
    issues.push({ variable: 'PUBLIC_URL', message: "must be https: WeChat Pay's callbacks go only to https addresses" })
  if (privateKey && platformPublicKey) issues.push(...selfCheck({ privateKey, platformPublicKey }))
  if (issues.length) throw new WxPayConfigError(issues)
  return {
    mchid: mchid!,
    apiV2Key: apiV2Key!,
    apiV3Key: apiV3Key!,
    privateKey: privateKey!,
    certSerial: certSerial!,
    platformPublicKey: platformPublicKey!,
    platformPublicKeyId: platformPublicKeyId!,
    apiBase: apiBase!,
    appId: ctx.appId,
    notifyUrl: `${ctx.publicUrl.replace(/\/+$/, '')}${NOTIFY_PATH}`,
  }
}
