import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import CouponTicket from '../../src/web/components/CouponTicket.vue'
import { loadLocale, setLocale } from '../../src/web/i18n/index.ts'
import { couponLook, offerLook, type TicketLook } from '../../src/web/pages/consumer/ticket-look.ts'
import { offerDto } from './fixtures.ts'

const ticket = (look: TicketLook, offer = offerDto()) => mount(CouponTicket, { props: { offer, ...look } })

afterEach(() => setLocale(null))

describe('a ticket reads its state at a glance', () => {
  it.each([
    ['an available coupon', couponLook({ status: 'available', inWallet: false }), null, false, null, null],
    [
      'a redeemed coupon, stamped 已使用',
      couponLook({ status: 'redeemed', inWallet: false }),
      '已使用',
      true,
      null,
      null,
    ],
    [
      'an expired coupon, stamped 已过期',
      couponLook({ status: 'expired', inWallet: false }),
      '已过期',
      true,
      null,
      null,
    ],
    [
      'a coupon in the wallet, tagged 已在卡包',
      couponLook({ status: 'available', inWallet: true }),
      null,
      false,
      '已在卡包',
      null,
    ],
    [
      'a used coupon that was in the wallet',
      couponLook({ status: 'redeemed', inWallet: true }),
      '已使用',
      true,
      '已在卡包',
      null,
    ],
    ['an offer with plenty left', offerLook(offerDto()), null, false, null, null],
    ['an offer nearly gone, in orange', offerLook(offerDto({ stockLeft: 3 })), null, false, '仅剩 3 张', 'orange'],
    ['a sold-out offer, greyed with 已抢光', offerLook(offerDto({ stockLeft: 0 })), null, true, '已抢光', 'grey'],
  ])('%s', (_name, look, stamp, muted, tag, tone) => {
    const w = ticket(look)
    expect(w.find('.stamp').exists() ? w.find('.stamp').text() : null).toBe(stamp)
    expect(w.classes('muted')).toBe(muted)
    const tagEl = w.find('.tag')
    expect(tagEl.exists() ? tagEl.text() : null).toBe(tag)
    if (tone) expect(tagEl.classes()).toContain(tone)
  })

  it.each([
    ['a cash coupon', offerDto(), '¥10', '满30可用'],
    [
      'a discount without threshold',
      offerDto({ kind: 'discount', discountPercent: 88, thresholdFen: 0 }),
      '8.8折',
      '无门槛',
    ],
    ['a gift', offerDto({ kind: 'gift', giftName: '手工曲奇一份' }), '赠品', '手工曲奇一份'],
  ])('shows the value of %s on the stub', (_name, offer, main, condition) => {
    const w = ticket({}, offer)
    expect(w.find('.stub .main').text()).toBe(main)
    expect(w.find('.stub .cond').text()).toBe(condition)
  })

  it('shows the title, merchant and the note under them', () => {
    const w = mount(CouponTicket, { props: { offer: offerDto(), note: '领取后30天内有效' } })
    expect(w.find('.title').text()).toBe('拿铁立减10元')
    expect(w.find('.merchant').text()).toBe('山川咖啡')
    expect(w.find('.note').text()).toBe('领取后30天内有效')
  })

  it('says its states in English with ?lang=en', async () => {
    await loadLocale('en')
    const w = ticket(couponLook({ status: 'redeemed', inWallet: true }))
    expect(w.find('.stamp').text()).toBe('Used')
    expect(w.find('.tag').text()).toBe('In wallet')
  })
})
