/**
 * Points WeChat Pay's 商家券 callbacks at this server (设置商家券事件通知地址,
 * pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_7.shtml): read the setting first and write it
 * only when it differs, so several processes starting at once agree.
 * Answers one line for the start-up log, saying what it did or what is wrong.
 */
import type { WxPayClient } from './client.ts'
import { explain } from './diagnose.ts'

export async function registerNotifyUrl(client: WxPayClient): Promise<string> {
  const ours = client.config.notifyUrl
  try {
    const current = await client.getCallbacks()
    if (current.notify_url === ours) return `COUPON.SEND already goes to ${ours}`
    await client.setCallbacks(ours)
    return `COUPON.SEND now goes to ${ours}${current.notify_url ? ` (was ${current.notify_url})` : ''}`
  } catch (err) {
    return `could not set the notify URL to ${ours}: ${explain(err)}. Wallet adds are still confirmed by the page's query; fix this so closed pages are reconciled too.`
  }
}
