/** The wallet's translator: like t(), over the wallet's own messages (their English is in the English pack). */
import { englishPack, fill } from './index.ts'
import { type WalletMessages, walletZhCN } from './wallet.zh-CN.ts'

export function tw(key: keyof WalletMessages, params?: Record<string, string | number>): string {
  return fill((englishPack()?.wallet ?? walletZhCN)[key], params)
}
