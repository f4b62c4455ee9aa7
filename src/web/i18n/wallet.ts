/** The wallet's translator: like t(), over the wallet's own messages. */
import { fill, localized } from './index.ts'
import { walletEn } from './wallet.en.ts'
import { type WalletMessages, walletZhCN } from './wallet.zh-CN.ts'

export function tw(key: keyof WalletMessages, params?: Record<string, string | number>): string {
  return fill(localized(walletZhCN, walletEn)[key], params)
}
