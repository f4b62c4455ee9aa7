/** Simplified Chinese by default; English with ?lang=en. Tiny on purpose: no i18n library on the landing path. */
import { en } from './en.ts'
import { type Messages, zhCN } from './zh-CN.ts'

type Key = Exclude<keyof Messages, 'errors'>
let messages: Messages = zhCN

export function setLocale(lang: string | null | undefined): void {
  messages = lang === 'en' ? en : zhCN
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''))
}

/** A short sentence for an API error code, never the raw code. */
export function errorText(code: string): string {
  return messages.errors[code] ?? messages.errors.fallback!
}
