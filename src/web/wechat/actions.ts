/** Typed promises over the JS-SDK calls Kaquan makes. Every failure comes back described, never thrown raw. */
import { t } from '../i18n/index.ts'
import { onEveryReady, ready, WxConfigError } from './config.ts'
import type { WxFailure } from './messages.ts'
import type { AddCardResult, ScanResult, Wx, WxResult } from './sdk.ts'

export type WxOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; cancelled: boolean; errMsg: string; failure: WxFailure }

/** A failure described in words; the words (messages.ts, the wallet's texts) load only when something fails. */
async function failed<T>(errMsg: string): Promise<WxOutcome<T>> {
  const describe = await import('./messages.ts').then(
    m => m.describeWxError,
    () => null,
  )
  // Without its words (the network dropped as well), the code on the page is still there to show.
  const failure = describe ? describe(errMsg) : ({ message: t('networkDown'), next: 'show_code' } as const)
  return { ok: false, cancelled: errMsg.endsWith(':cancel'), errMsg, failure }
}

async function call<T, R extends WxResult>(
  invoke: (wx: Wx, cb: { success: (r: R) => void; fail: (r: WxResult) => void; cancel: (r: WxResult) => void }) => void,
  pick: (r: R) => T,
): Promise<WxOutcome<T>> {
  let wx: Wx
  try {
    wx = await ready()
  } catch (err) {
    return failed(err instanceof WxConfigError ? err.errMsg : 'config:fail')
  }
  return new Promise(resolve => {
    invoke(wx, {
      success: r => resolve({ ok: true, value: pick(r) }),
      fail: r => void failed<T>(r.errMsg).then(resolve),
      cancel: r => void failed<T>(r.errMsg || 'cancel:cancel').then(resolve),
    })
  })
}

export interface AddedCard {
  cardId: string
  encryptedCode: string | null
}

/**
 * wx.addCard for one card, a legacy card or a 商家券 alike (for a 商家券 cardId is the stock_id). A
 * legacy card's code comes back encrypted, for the server to decrypt; for a 商家券 no source says a
 * code comes back, and the server asks WeChat Pay instead, so encryptedCode may be null.
 */
export function addCard(cardId: string, cardExt: string): Promise<WxOutcome<AddedCard>> {
  return call<AddedCard, AddCardResult>(
    (wx, cb) => wx.addCard({ cardList: [{ cardId, cardExt }], ...cb }),
    r => {
      const item = r.cardList?.find(c => c.cardId === cardId)
      return { cardId, encryptedCode: item?.code ?? null }
    },
  )
}

export function openCard(cardId: string, code: string): Promise<WxOutcome<true>> {
  return call(
    (wx, cb) => wx.openCard({ cardList: [{ cardId, code }], ...cb }),
    () => true as const,
  )
}

/** Scans a QR code or barcode and returns its text, without WeChat's "CODE_128," style prefix. */
export function scanCode(): Promise<WxOutcome<string>> {
  return call<string, ScanResult>(
    (wx, cb) => wx.scanQRCode({ needResult: 1, scanType: ['qrCode', 'barCode'], ...cb }),
    r => String(r.resultStr ?? '').replace(/^[A-Z_0-9]+,/, ''),
  )
}

export interface ShareData {
  title: string
  desc: string
  link: string
  imgUrl: string
}
let share: ShareData | null = null

function applyShare(wx: Wx) {
  if (!share) return
  const s = share
  wx.updateAppMessageShareData({ title: s.title, desc: s.desc, link: s.link, imgUrl: s.imgUrl })
  wx.updateTimelineShareData({ title: s.title, link: s.link, imgUrl: s.imgUrl })
}
onEveryReady(applyShare)

/** Sets what a share from WeChat's menu sends; applied after ready and again after each re-configuration. */
export async function setShare(data: ShareData): Promise<boolean> {
  share = data
  try {
    applyShare(await ready())
    return true
  } catch {
    return false
  }
}

export async function closeWindow(): Promise<void> {
  try {
    ;(await ready()).closeWindow()
  } catch {
    /* outside WeChat there is no window to close */
  }
}
