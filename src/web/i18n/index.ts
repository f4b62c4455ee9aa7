/** Simplified Chinese by default; English with ?lang=en. Tiny on purpose: no i18n library on the landing path. */
import { en } from './en.ts'
import { type Messages, zhCN } from './zh-CN.ts'

type Key = Exclude<keyof Messages, 'errors'>
let english = false
let messages: Messages = zhCN

export function setLocale(lang: string | null | undefined): void {
  english = lang === 'en'
  messages = english ? en : zhCN
}

/** Puts `{name}` parameters into a message. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''))
}

export function t(key: Key, params?: Record<string, string | number>): string {
  return fill(messages[key], params)
}

/** A short sentence for an API error code, never the raw code. */
export function errorText(code: string): string {
  return messages.errors[code] ?? messages.errors.fallback!
}

/** The current locale's half of a lazy chunk's own messages (the clerk's), kept out of the landing chunk. */
export function localized<M>(zh: M, english_: M): M {
  return english ? english_ : zh
}
