/**
 * Simplified Chinese by default; English with ?lang=en, loaded as its own chunk (loadLocale).
 * Tiny on purpose: no i18n library on the landing path.
 */
import type { EnglishPack } from './english.ts'
import { type Messages, zhCN } from './zh-CN.ts'

type Key = Exclude<keyof Messages, 'errors'>
let english = false
let pack: EnglishPack | null = null
let messages: Messages = zhCN

/** Fetches what `lang` needs (the English chunk for 'en'), then makes it the current locale. */
export async function loadLocale(lang: string | null | undefined): Promise<void> {
  if (lang === 'en' && !pack) provideEnglish((await import('./english.ts')).english)
  setLocale(lang)
}

/** The server renderer hands the English pack over at start, so every render can switch synchronously. */
export function provideEnglish(p: EnglishPack): void {
  pack = p
}

/** Switches the locale at once. English needs its pack (loadLocale or provideEnglish) first; without it, Chinese. */
export function setLocale(lang: string | null | undefined): void {
  english = lang === 'en' && pack !== null
  messages = english ? pack!.main : zhCN
}

/** The English pack while English is current, for translators of other message sets (wallet.ts). */
export function englishPack(): EnglishPack | null {
  return english ? pack : null
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
