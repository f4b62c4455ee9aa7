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

/** The consumer and clerk app (index.html, landing pages rendered on the server) or the merchant console (console.html). */
export type SiteApp = 'app' | 'console'
const SHELL: Record<SiteApp, string> = { app: 'index.html', console: 'console.html' }

export interface SiteSource {
  /** The app's page template and the renderer for this URL; null when the site is not built. */
  load: (url: string, app: SiteApp) => Promise<{ template: Template; render: Render } | null>
  close: () => Promise<void>
}

export function builtSite(distDir: string): SiteSource {
  const dist = resolve(distDir)
  const templates: Partial<Record<SiteApp, Template | null>> = {}
  let render: Render | null = null
  return {
    load: async (_url, app) => {
      const template = (templates[app] ??= loadTemplate(dist, SHELL[app]))
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
  return {
    load: async (url, app) => {
      const html = await vite.transformIndexHtml(url, readFileSync(resolve(SHELL[app]), 'utf8'))
      const { render } = (await vite.ssrLoadModule('/src/web/entry-server.ts')) as { render: Render }
      return { template: templateOf(html), render }
    },
    close: () => vite.close(),
  }
}
