/** The clerk's translator: like t(), over the clerk's own messages. */
import { clerkEn } from './clerk.en.ts'
import { type ClerkMessages, clerkZhCN } from './clerk.zh-CN.ts'
import { fill, localized } from './index.ts'

type Key = Exclude<keyof ClerkMessages, 'refusals'>

export function tc(key: Key, params?: Record<string, string | number>): string {
  return fill(localized(clerkZhCN, clerkEn)[key], params)
}

/** A refused redemption's headline and detail by error code, or undefined for a code the counter does not expect. */
export function refusalText(code: string): { headline: string; detail: string } | undefined {
  return localized(clerkZhCN, clerkEn).refusals[code]
}
