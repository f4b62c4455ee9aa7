/**
 * Builds bench/bare with Vite's JS API into a temp folder, through the project's own vite.config.ts
 * (its plugins, minifier and build options), so the only difference from the real build is the app.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

export interface BareFile {
  path: string
  raw: number
  gzip: number
}

export async function buildBare(outDir: string): Promise<BareFile[]> {
  const root = new URL('.', import.meta.url).pathname
  await build({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    root,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'index.html') } },
  })
  const assets = join(outDir, 'assets')
  return readdirSync(assets)
    .filter(f => /\.(js|css)$/.test(f))
    .map(f => {
      const buf = readFileSync(join(assets, f))
      return { path: `/assets/${f}`, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
    })
}
