/**
 * The built index.html, prepared once: the entry stylesheet is inlined so a landing page
 * paints from its first response, without waiting on a second request for CSS.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InitialState } from '../../shared/api/site.ts'

export interface Template {
  fill: (parts: { head: string; html: string; state: InitialState }) => string
}

/** A built page shell (`index.html`, or the console's `console.html`) with its entry stylesheet inlined. */
export function loadTemplate(distDir: string, page = 'index.html'): Template | null {
  const file = join(distDir, 'client', page)
  if (!existsSync(file)) return null
  let html = readFileSync(file, 'utf8')
  html = html.replace(
    /<link rel="stylesheet"[^>]*href="(\/assets\/[^"]+\.css)"[^>]*>/g,
    (_m, href: string) => `<style>${readFileSync(join(distDir, 'client', href), 'utf8')}</style>`,
  )
  return templateOf(html)
}

/** An index.html with its three placeholders, ready to fill (the built one, or Vite's in development). */
export function templateOf(html: string): Template {
  // Cut once at the three placeholders and fill by concatenation: text from offers, stores and
  // nicknames never passes through String.replace, whose `$&`, `$'` and `` $` `` would rewrite it.
  const [beforeHead, rest1] = cutAt(html, '<!--app-head-->')
  const [beforeApp, rest2] = cutAt(rest1, '<!--app-html-->')
  const [beforeState, afterState] = cutAt(rest2, '<!--app-state-->')
  return {
    fill: ({ head, html: appHtml, state }) =>
      beforeHead +
      head +
      beforeApp +
      appHtml +
      beforeState +
      `<script id="kq-state" type="application/json">${serializeState(state)}</script>` +
      afterState,
  }
}

function cutAt(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker)
  if (at < 0) throw new Error(`index.html lacks ${marker}`)
  return [text.slice(0, at), text.slice(at + marker.length)]
}

/** JSON that can't close the script element it sits in. */
export function serializeState(state: InitialState): string {
  return JSON.stringify(state)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
