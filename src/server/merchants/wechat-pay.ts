/**
 * The console's 微信支付 panel: how this Kaquan's WeChat Pay (商家券) is set up, and a checklist of
 * the merchant platform's settings (the README's "Going live" WeChat Pay table), each with what
 * Kaquan can see of it. The one live fact is WeChat Pay's callback setting (查询商家券事件通知地址,
 * pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_8.shtml), asked with a short timeout so a slow
 * WeChat Pay never holds the page: a signed call with a verified answer also proves the merchant
 * number, the API certificate and the WeChat Pay public key belong together.
 */
import type { ConsoleWechatPayDto, WechatPayCheckItem } from '../../shared/api/console.ts'
import type { Deps } from '../deps.ts'
import { wxPayClientOf } from '../wallet/busifavor.ts'
import { NOTIFY_PATH } from '../wechatpay/keys.ts'
import { WxPayError, wxPayCodes } from '../wechatpay/errors.ts'

/** What a failed read means, for someone looking at the merchant platform. */
const reasons: Record<string, string> = {
  [wxPayCodes.signError]: '微信支付不接受签名：请核对商户号、商户API证书的私钥与序列号是否同属一张证书',
  [wxPayCodes.unverified]: '微信支付的应答验签失败：请核对微信支付公钥及其ID，以及服务器时间',
  [wxPayCodes.invalidRequest]: '微信支付认为请求有误：通常是微信支付公钥ID填错了',
  [wxPayCodes.noAuth]: '商户号没有这项权限：请在商户平台开通商家券与营销事件推送',
  [wxPayCodes.network]: '服务器连不上微信支付（网络、DNS 或代理）',
  [wxPayCodes.timeout]: '微信支付没有及时应答，请稍后刷新',
}

function reasonOf(err: unknown): string {
  if (err instanceof WxPayError) return reasons[err.code] ?? `微信支付返回 ${err.status || '-'} ${err.code}`
  return '查询微信支付时出错'
}

type Seen = { configured: boolean; answered: boolean; registered: ConsoleWechatPayDto['registered'] }

function checklist(d: Deps, mchid: string | null, notifyUrl: string, seen: Seen): WechatPayCheckItem[] {
  const keys = !seen.configured ? 'todo' : seen.answered ? 'done' : 'check'
  const held = seen.configured ? 'check' : 'todo'
  const item = (i: Omit<WechatPayCheckItem, 'value'> & { value?: string | null }) => ({ value: null, ...i })
  return [
    item({
      key: 'mchid',
      place: '账户中心 → 商户信息 → 商户号',
      what: '商户号填入服务器配置',
      variable: 'WXPAY_MCHID',
      value: mchid,
      state: seen.configured ? 'done' : 'todo',
    }),
    item({
      key: 'apiCert',
      place: '账户中心 → API安全 → API证书',
      what: '商户API证书的私钥 apiclient_key.pem 与证书序列号',
      variable: 'WXPAY_PRIVATE_KEY, WXPAY_CERT_SERIAL',
      state: keys,
    }),
    item({
      key: 'apiV2Key',
      place: '账户中心 → API安全 → APIv2密钥',
      what: '32位的 APIv2 密钥（不是 APIv3 密钥），用于放入卡包时的签名',
      variable: 'WXPAY_APIV2_KEY',
      state: held,
    }),
    item({
      key: 'apiV3Key',
      place: '账户中心 → API安全 → APIv3密钥',
      what: '32位的 APIv3 密钥；商户平台上没有设置时，微信支付不会发送任何通知',
      variable: 'WXPAY_APIV3_KEY',
      state: held,
    }),
    item({
      key: 'publicKey',
      place: '账户中心 → API安全 → 微信支付公钥',
      what: '微信支付公钥 pub_key.pem 及其ID（PUB_KEY_ID_…），不是平台证书',
      variable: 'WXPAY_PLATFORM_PUBLIC_KEY, WXPAY_PLATFORM_PUBLIC_KEY_ID',
      state: keys,
    }),
    item({
      key: 'appid',
      place: '产品中心 → AppID账号管理',
      what: '关联公众号，并在公众号后台确认',
      variable: 'WX_APPID',
      value: d.config.wxpay?.appId ?? null,
      state: held,
    }),
    item({
      key: 'stock',
      place: '营销中心 → 商家券 → 创建批次',
      what: '券code模式选“商户API指定”，有效期覆盖优惠券的有效期，notify_appid 为公众号的 AppID；批次号填在优惠券的“商家券批次号”',
      variable: null,
      state: held,
    }),
    item({
      key: 'notify',
      place: '营销中心 → 商家券 → 营销事件推送',
      what: '开启营销事件推送；通知地址由卡券在启动时通过接口设置，须为下面的 https 地址',
      variable: 'PUBLIC_URL',
      value: notifyUrl,
      state: !seen.configured || seen.registered === 'no' ? 'todo' : seen.registered === 'yes' ? 'done' : 'check',
    }),
  ]
}

export async function wechatPayStatus(deps: Deps): Promise<ConsoleWechatPayDto> {
  const pay = deps.config.wxpay
  const notifyUrl = pay?.notifyUrl ?? `${deps.config.publicUrl.replace(/\/+$/, '')}${NOTIFY_PATH}`
  const status: ConsoleWechatPayDto = {
    configured: pay !== null,
    sandbox: deps.config.sandbox,
    mchid: pay?.mchid ?? null,
    notifyUrl,
    registered: 'unknown',
    registeredUrl: null,
    problem: pay ? null : '服务器没有配置微信支付（WXPAY_MCHID 等），优惠券只能关联微信卡券',
    checklist: [],
  }
  let answered = false
  // Retries included, a page waits at most this long for a fact it can also show as unknown.
  const client = wxPayClientOf(deps, { timeoutMs: 1500, deadlineMs: 1500 })
  if (client) {
    try {
      const cb = await client.getCallbacks()
      answered = true
      status.registeredUrl = cb.notify_url || null
      status.registered = cb.notify_url === notifyUrl ? 'yes' : 'no'
    } catch (err) {
      status.problem = reasonOf(err)
    }
  }
  status.checklist = checklist(deps, status.mchid, notifyUrl, {
    configured: status.configured,
    answered,
    registered: status.registered,
  })
  return status
}
