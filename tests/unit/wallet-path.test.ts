import { describe, expect, it } from 'vitest'
import { signingUrl } from '../../src/web/wechat/config.ts'
import { describeWxError } from '../../src/web/wechat/messages.ts'
import type { WalletProvider } from '../../src/shared/api/wallet.ts'
import {
  type WalletAttempt,
  walletPath,
  type WalletPathInput,
  walletProvider,
} from '../../src/web/wechat/wallet-path.ts'

const available = { status: 'available' as const, inWallet: false }
const none: WalletAttempt = { kind: 'none' }
/** `true` is an offer with a legacy card, `false` an H5-only one; or name the provider. */
const row = (
  inWeChat: boolean,
  offerHasCard: boolean | WalletProvider,
  coupon: WalletPathInput['coupon'],
  last: WalletAttempt = none,
): WalletPathInput => ({
  inWeChat,
  provider: offerHasCard === true ? 'card' : offerHasCard === false ? null : offerHasCard,
  coupon,
  last,
})

describe('which custody path a coupon page offers', () => {
  it.each([
    ['in WeChat, a card offer, not yet added', row(true, true, available), 'add', false, null],
    ['in WeChat while adding', row(true, true, available, { kind: 'adding' }), 'add', true, null],
    ['in WeChat after a cancel', row(true, true, available, { kind: 'cancelled' }), 'add', false, '已取消'],
    [
      'in WeChat after a failure worth retrying',
      row(true, true, available, {
        kind: 'failed',
        failure: { message: '微信接口初始化失败，请稍后重试', next: 'retry' },
      }),
      'add',
      false,
      '初始化失败',
    ],
    [
      'in WeChat when the account lacks the permission',
      row(true, true, available, {
        kind: 'failed',
        failure: { message: '商家暂未开通微信卡包', next: 'open_in_wechat' },
      }),
      'none',
      false,
      '暂未开通',
    ],
    [
      'on an old WeChat without addCard',
      row(true, true, available, { kind: 'unsupported' }),
      'none',
      false,
      '版本不支持',
    ],
    ['in WeChat, already in the wallet', row(true, true, { status: 'available', inWallet: true }), 'view', false, null],
    [
      'outside WeChat, already in the wallet',
      row(false, true, { status: 'available', inWallet: true }),
      'none',
      false,
      '已在微信卡包',
    ],
    ['outside WeChat, a card offer', row(false, true, available), 'none', false, '在微信中打开'],
    ['an H5-only offer in WeChat', row(true, false, available), 'none', false, null],
    ['an H5-only offer outside WeChat', row(false, false, available), 'none', false, null],
    ['a redeemed coupon', row(true, true, { status: 'redeemed', inWallet: true }), 'none', false, null],
    ['an expired coupon', row(true, true, { status: 'expired', inWallet: false }), 'none', false, null],
    ['in WeChat, a 商家券 offer, not yet added', row(true, 'busifavor', available), 'add', false, null],
    ['in WeChat while adding a 商家券', row(true, 'busifavor', available, { kind: 'adding' }), 'add', true, null],
    [
      'in WeChat after cancelling a 商家券',
      row(true, 'busifavor', available, { kind: 'cancelled' }),
      'add',
      false,
      '已取消',
    ],
    [
      'in WeChat after a 商家券 failure',
      row(true, 'busifavor', available, {
        kind: 'failed',
        failure: { message: '添加失败，可直接到店出示券码', next: 'show_code' },
      }),
      'add',
      false,
      '添加失败',
    ],
    [
      'in WeChat, a 商家券 already in the wallet: no JS-SDK call opens it, so it says where it is',
      row(true, 'busifavor', { status: 'available', inWallet: true }),
      'none',
      false,
      '卡包',
    ],
    [
      'outside WeChat, a 商家券 already in the wallet',
      row(false, 'busifavor', { status: 'available', inWallet: true }),
      'none',
      false,
      '已在微信卡包',
    ],
    ['outside WeChat, a 商家券 offer', row(false, 'busifavor', available), 'none', false, '在微信中打开'],
    ['a redeemed 商家券', row(true, 'busifavor', { status: 'redeemed', inWallet: true }), 'none', false, null],
    ['an expired 商家券', row(true, 'busifavor', { status: 'expired', inWallet: false }), 'none', false, null],
  ] as const)('%s', (_name, input, action, busy, note) => {
    const p = walletPath(input)
    expect(p.action).toBe(action)
    expect(p.busy).toBe(busy)
    if (note === null) expect(p.note).toBeNull()
    else expect(p.note).toContain(note)
  })
})

describe('which wallet an offer goes to', () => {
  it.each([
    ['a legacy card', { wxCardId: 'pKQcard', wxStockId: null }, 'card'],
    ['a 商家券 stock', { wxCardId: null, wxStockId: '1212000000000001' }, 'busifavor'],
    ['neither: H5 only', { wxCardId: null, wxStockId: null }, null],
    ['a stock with no card field at all (an older answer)', { wxCardId: null }, null],
  ] as const)('%s', (_name, offer, provider) => expect(walletProvider(offer)).toBe(provider))
})

describe('the URL wx.config signs', () => {
  const landing = 'https://shop.example/o/1?ch=share'
  const now = 'https://shop.example/me/coupons/9#top'
  it('is the landing URL on iOS', () => expect(signingUrl('ios', landing, now)).toBe(landing))
  it('is the current URL without its fragment on Android', () =>
    expect(signingUrl('android', landing, now)).toBe('https://shop.example/me/coupons/9'))
})

describe('WeChat failures in words', () => {
  it.each([
    ['addCard:cancel', 'show_code', '已取消'],
    ['config:invalid signature', 'retry', '初始化失败'],
    ['addCard:function not exist', 'update_wechat', '升级微信'],
    ['addCard:permission denied', 'show_code', '暂未开通'],
    ['addCard:fail system error', 'show_code', '添加失败'],
  ])('%s → %s', (errMsg, next, text) => {
    const f = describeWxError(errMsg)
    expect(f.next).toBe(next)
    expect(f.message).toContain(text)
    expect(f.message).not.toMatch(/[a-z]{4,}/)
  })
})
