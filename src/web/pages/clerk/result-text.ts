/** The clerk's result screen in words, readable at arm's length: one headline, one detail line. */
import { epochOf, formatDateTime } from '../../../shared/validity.ts'
import type { RedeemOutcome } from '../../stores/clerk.ts'

export interface ResultText {
  ok: boolean
  headline: string
  detail: string
}

export function resultText(o: RedeemOutcome, now = Date.now() / 1000): ResultText {
  if (o.ok) {
    const c = o.result.coupon
    return {
      ok: true,
      headline: '核销成功',
      detail: `${c.offer.title} · ${o.result.consumer} · ${formatDateTime(epochOf(o.result.redeemedAt), now)}`,
    }
  }
  switch (o.code) {
    case 'already_redeemed':
      return {
        ok: false,
        headline: '已核销',
        detail: [o.redeemedAt ? formatDateTime(epochOf(o.redeemedAt), now) : '', o.storeName ?? '微信卡包']
          .filter(Boolean)
          .join(' '),
      }
    case 'expired':
      return { ok: false, headline: '已过期', detail: '此券已超过有效期' }
    case 'not_yet_valid':
      return { ok: false, headline: '未到使用时间', detail: '此券尚未生效' }
    case 'not_valid_at_store':
      return { ok: false, headline: '本店不可用', detail: '此券只能在指定门店使用' }
    case 'unknown_code':
      return { ok: false, headline: '无效券码', detail: '请核对券码后重试' }
    case 'other_merchant':
      return { ok: false, headline: '非本商户券', detail: '这张券不属于本商户' }
    case 'rate_limited':
      return { ok: false, headline: '操作过于频繁', detail: '错误券码过多，请稍后再试' }
    case 'forbidden':
      return { ok: false, headline: '无权核销', detail: '你不是这家门店的店员' }
    case 'network':
      return { ok: false, headline: '网络异常', detail: '请检查网络后重试' }
    default:
      return { ok: false, headline: '核销失败', detail: o.message || '请稍后重试' }
  }
}
