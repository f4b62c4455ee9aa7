/**
 * The built index.html, prepared once: the entry stylesheet is inlined so a landing page
 * paints from its first response, without waiting on a second request for CSS.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InitialState } from '../../shared/contract.ts'

export interface Template {
  fill: (parts: { head: string; html: string; state: InitialState }) => string
}

export function loadTemplate(distDir: string): Template | null {
  const file = join(distDir, 'client', 'index.html')
  if (!existsSync(file)) return null
  let html = readFileSync(file, 'utf8')
  html = html.replace(
    /<link rel="stylesheet"[^>]*href="(\/assets\/[^"]+\.css)"[^>]*>/g,
    (_m, href: string) => `<style>${readFileSync(join(distDir, 'client', href), 'utf8')}</style>`,
  )
  return {
    fill: ({ head, html: appHtml, state }) =>
      html
        .replace('<!--app-head-->', head)
        .replace('<!--app-html-->', appHtml)
        .replace('<!--app-state-->', `<script id="kq-state" type="application/json">${serializeState(state)}</script>`),
  }
}

/** JSON that can't close the script element it sits in. */
export function serializeState(state: InitialState): string {
  return JSON.stringify(state)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
