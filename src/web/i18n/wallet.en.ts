import type { WalletMessages } from './wallet.zh-CN.ts'

export const walletEn: WalletMessages = {
  cancelled: 'Cancelled: the coupon is still under My coupons, show it at the counter',
  updateWeChat: 'This WeChat is too old: update WeChat and try again',
  configFailed: 'WeChat could not start here: try again in a moment',
  noWalletPermission: 'This shop has no WeChat card wallet yet: show the code at the counter',
  timeout: 'WeChat took too long: try again',
  alreadyInWallet: 'This coupon is already in your card wallet',
  addFailed: 'Could not add it: show the code at the counter instead',
  inWalletShowCode: 'In your WeChat card wallet; you can also show this code',
  inWalletBusifavor: 'In your WeChat card wallet (Me › Cards › Coupons); you can also show this code',
  openInWeChat: 'Open in WeChat to add it to the card wallet; show this code at the counter to use it',
  addCancelled: 'Not added: add it again, or show this code at the counter',
  walletUnsupported: 'This WeChat has no card wallet: show this code at the counter',
}
