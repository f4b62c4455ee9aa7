/**
 * Where the server-rendered pages come from: the built site in dist/ (npm start, production),
 * or, under `npm run dev`, Vite compiling src/web on the fly, so an edit shows on the next load
 * while the browser gets hot updates from Vite's own dev server in front.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { InitialState } from '../../shared/api/site.ts'
import { loadTemplate, type Template, templateOf } from './template.ts'

export type Render = (url: string, state: InitialState) => Promise<string>

export interface SiteSource {
  /** The page template and the renderer for this URL; null when the site is not built. */
  load: (url: string) => Promise<{ template: Template; render: Render } | null>
  close: () => Promise<void>
}

export function builtSite(distDir: string): SiteSource {
  const dist = resolve(distDir)
  let template: Template | null = null
  let render: Render | null = null
  return {
    load: async () => {
      template ??= loadTemplate(dist)
      const entry = join(dist, 'server', 'entry-server.js')
      if (!render && existsSync(entry)) render = (await import(pathToFileURL(entry).href)).render as Render
      return template && render ? { template, render } : null
    },
    close: async () => {},
  }
}

/** Development only: Vite is a devDependency, loaded when `npm run dev` asks for it. */
export async function viteSite(): Promise<SiteSource> {
  const { createServer } = await import('vite')
  const vite = await createServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'warn' })
  const indexHtml = resolve('index.html')
  return {
    load: async url => {
      const html = await vite.transformIndexHtml(url, readFileSync(indexHtml, 'utf8'))
      const { render } = (await vite.ssrLoadModule('/src/web/entry-server.ts')) as { render: Render }
      return { template: templateOf(html), render }
    },
    close: () => vite.close(),
  }
}
