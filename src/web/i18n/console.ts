/** The console's translator: like t(), over the console's own messages (they load with its chunks only). */
import { consoleEn } from './console.en.ts'
import { type ConsoleMessages, consoleZhCN } from './console.zh-CN.ts'
import { fill, localized } from './index.ts'

type Table = 'errors' | 'actions' | 'fields'
type Key = Exclude<keyof ConsoleMessages, Table>

const messages = () => localized(consoleZhCN, consoleEn)

export function tk(key: Key, params?: Record<string, string | number>): string {
  return fill(messages()[key], params)
}

/** An API error in a short sentence: the console's words for its codes, else the server's own message. */
export function consoleError(e: unknown): string {
  const err = e as { code?: string; message?: string }
  return messages().errors[err.code ?? ''] ?? err.message ?? messages().errors.fallback!
}

/** What an audit entry's action or a changed field is called; the raw name when it is new to us. */
export function auditWord(table: 'actions' | 'fields', name: string): string {
  return messages()[table][name] ?? name
}
