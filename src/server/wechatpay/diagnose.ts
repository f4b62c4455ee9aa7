/**
 * What a WeChat Pay failure at start-up means for the person deploying, and how to fix it: the
 * configuration mistakes WeChat Pay SDK users most often report (a key and serial that don't belong
 * together, the wrong 微信支付公钥 or its id, a permission not enabled on the merchant platform).
 */
import type { WxPayClient } from './client.ts'
import { WxPayError, wxPayCodes } from './errors.ts'

const hints: Record<string, string> = {
  [wxPayCodes.signError]:
    'WeChat Pay did not accept our signature: WXPAY_PRIVATE_KEY and WXPAY_CERT_SERIAL must be the key and serial of the same merchant API certificate (商户平台 → 账户中心 → API安全), and WXPAY_MCHID its merchant',
  [wxPayCodes.unverified]:
    "WeChat Pay's answer failed its signature: WXPAY_PLATFORM_PUBLIC_KEY and WXPAY_PLATFORM_PUBLIC_KEY_ID must be the 微信支付公钥 and its id from 账户中心 → API安全, and this server's clock must be right",
  [wxPayCodes.invalidRequest]:
    'WeChat Pay refused the request as malformed; a wrong WXPAY_PLATFORM_PUBLIC_KEY_ID (sent as Wechatpay-Serial) is the usual cause',
  [wxPayCodes.noAuth]: 'the merchant lacks this permission: enable 商家券 and 营销事件推送 on the merchant platform',
  [wxPayCodes.network]:
    'WeChat Pay could not be reached from this server (network, DNS or proxy; check WXPAY_API_BASE)',
  [wxPayCodes.timeout]: 'WeChat Pay did not answer in time (network or proxy)',
}

export function explain(err: unknown): string {
  if (!(err instanceof WxPayError)) return String(err)
  return `${err.api}: ${err.status || '-'} ${err.code} ${err.message} — ${hints[err.code] ?? "see WeChat Pay's error code table"}`
}

/**
 * Reads the callback setting once: a signed call with a verified answer proves keys, serial and
 * public key together, and a notify URL other than ours means COUPON.SEND goes elsewhere.
 */
export async function checkWxPay(client: WxPayClient): Promise<string[]> {
  try {
    const cb = await client.getCallbacks()
    if (cb.notify_url !== client.config.notifyUrl)
      return [
        `callbacks: WeChat Pay sends COUPON.SEND to ${cb.notify_url || 'nowhere'}, not ${client.config.notifyUrl}; call setCallbacks()`,
      ]
    return []
  } catch (err) {
    return [explain(err)]
  }
}
