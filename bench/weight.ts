/**
 * Landing weight: the JS and CSS a landing page loads before it is interactive — the entry
 * script, its module preloads, its stylesheets (inlined by the server, counted all the same)
 * and any static import those chunks make that was not preloaded — in gzip -9 bytes.
 * Lazy chunks (dynamic import()) are not counted.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface WeightFile {
  path: string
  kind: 'js' | 'css'
  how: string
  raw: number
  gzip: number
}
export interface WeightResult {
  files: WeightFile[]
  gzipTotal: number
  rawTotal: number
  lazy: string[]
}

const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i'))?.[1]

/** Static `import … from "x"` and `import "x"` specifiers in a built chunk; not `import("x")`. */
export function staticImports(js: string): string[] {
  return [...js.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'`])([^"'`]+)\1/g)].map(m => m[2]!)
}

/** Lazy chunks: `import("x")` specifiers, and the files Vite preloads with them (`__vite__mapDeps`, relative to the site root). */
export function lazyImports(js: string, dir: string): string[] {
  const out = [...js.matchAll(/import\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map(
    m => new URL(m[2]!, `http://x${dir}`).pathname,
  )
  // const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/a.js",…])))=>…
  const deps = js.match(/__vite__mapDeps[^[]*\[([^\]]*)\]/)?.[1]
  for (const m of (deps ?? '').matchAll(/(["'`])([^"'`]+)\1/g)) out.push(`/${m[2]!.replace(/^\//, '')}`)
  return out
}

/** A file's size raw and after gzip -9. */
export function weigh(file: string): { raw: number; gzip: number } {
  const buf = readFileSync(file)
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}

export function measureWeight(clientDir: string): WeightResult {
  const index = readFileSync(join(clientDir, 'index.html'), 'utf8')
  const files: WeightFile[] = []
  const seen = new Set<string>()
  const lazy = new Set<string>()
  const add = (urlPath: string, kind: 'js' | 'css', how: string) => {
    const rel = urlPath.replace(/^\//, '')
    if (seen.has(rel)) return
    seen.add(rel)
    const file = join(clientDir, rel)
    if (!existsSync(file))
      throw new Error(`${how} ${urlPath} is referenced by index.html but missing from ${clientDir}`)
    files.push({ path: `/${rel}`, kind, how, ...weigh(file) })
  }
  /** Chunks the eager JS imports statically load with it, preloaded or not. */
  const follow = () => {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!
      if (f.kind !== 'js') continue
      const text = readFileSync(join(clientDir, f.path), 'utf8')
      const dir = f.path.slice(0, f.path.lastIndexOf('/') + 1)
      for (const spec of staticImports(text))
        if (spec.startsWith('.') || spec.startsWith('/'))
          add(new URL(spec, `http://x${dir}`).pathname, 'js', 'static import')
      for (const p of lazyImports(text, dir)) lazy.add(p)
    }
  }
  for (const tag of index.match(/<script\b[^>]*>/gi) ?? []) {
    const src = attr(tag, 'src')
    if (src && /type\s*=\s*"module"/i.test(tag)) add(src, 'js', 'entry script')
    else if (src) add(src, 'js', 'script')
  }
  for (const tag of index.match(/<link\b[^>]*>/gi) ?? []) {
    const rel = attr(tag, 'rel')
    const href = attr(tag, 'href')
    if (!href) continue
    if (rel === 'modulepreload') add(href, 'js', 'modulepreload')
    else if (rel === 'stylesheet') add(href, 'css', 'stylesheet')
  }
  follow()
  if (!files.some(f => f.how === 'entry script'))
    throw new Error(`no module entry script found in ${join(clientDir, 'index.html')}`)
  return {
    files,
    gzipTotal: files.reduce((s, f) => s + f.gzip, 0),
    rawTotal: files.reduce((s, f) => s + f.raw, 0),
    lazy: [...lazy].filter(p => !seen.has(p.replace(/^\//, ''))).sort(),
  }
}
