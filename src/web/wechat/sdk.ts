/**
 * The JS-SDK as it really behaves. weixin-js-sdk is CommonJS, exports nothing without a
 * window and types addCard as returning void; this interface has the real shapes
 * (read from the SDK itself, jweixin-1.6.0.js). Loaded only inside WeChat.
 */
export interface WxResult {
  errMsg: string
  [k: string]: unknown
}
interface Callbacks<R = WxResult> {
  success?: (r: R) => void
  fail?: (r: WxResult) => void
  cancel?: (r: WxResult) => void
  complete?: (r: WxResult) => void
}

export interface AddCardResult extends WxResult {
  cardList: { cardId: string; cardExt: string; isSuccess: boolean; code?: string }[]
}
export interface ScanResult extends WxResult {
  resultStr: string
}

export interface Wx {
  config: (c: {
    debug: boolean
    appId: string
    timestamp: number
    nonceStr: string
    signature: string
    jsApiList: string[]
  }) => void
  ready: (fn: () => void) => void
  error: (fn: (r: WxResult) => void) => void
  checkJsApi: (o: { jsApiList: string[] } & Callbacks) => void
  addCard: (o: { cardList: { cardId: string; cardExt: string }[] } & Callbacks<AddCardResult>) => void
  openCard: (o: { cardList: { cardId: string; code: string }[] } & Callbacks) => void
  scanQRCode: (o: { needResult: 0 | 1; scanType: ('qrCode' | 'barCode')[] } & Callbacks<ScanResult>) => void
  updateAppMessageShareData: (o: { title: string; desc: string; link: string; imgUrl: string } & Callbacks) => void
  updateTimelineShareData: (o: { title: string; link: string; imgUrl: string } & Callbacks) => void
  closeWindow: () => void
}

export const jsApiList = [
  'checkJsApi',
  'addCard',
  'openCard',
  'scanQRCode',
  'updateAppMessageShareData',
  'updateTimelineShareData',
  'closeWindow',
]

let loading: Promise<Wx> | null = null

export function loadWx(): Promise<Wx> {
  loading ??= import('weixin-js-sdk').then(m => ((m as { default?: unknown }).default ?? m) as Wx)
  return loading
}
