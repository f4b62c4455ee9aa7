/**
 * Landing paint on a throttled phone: the time from navigation start until the offer's
 * title is in the page (outside scripts, laid out with a box) and the page has had its
 * first contentful paint — the later of the two. Three variants of the same page, all from
 * one loopback origin (see front.ts):
 *   a  static: the real SSR output with every script and module preload removed (baseline)
 *   b  ssr:    the real server-rendered landing, passed straight through
 *   c  csr:    the same response with #app emptied, so the client app mounts from scratch
 * plus a check on the front server itself: b again, straight from the app server's port.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { startFront } from './front.ts'

export const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN'

export const throttle = {
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
  cpuRate: 4,
}

export type VariantKey = 'static' | 'ssr' | 'csr' | 'direct'

export interface Sample {
  paint: number
  fcp: number
  title: number
}

export interface VariantResult {
  key: VariantKey
  label: string
  url: string
  samples: Sample[]
  median: Sample
}

export interface LandingResult {
  variants: Record<VariantKey, VariantResult>
  /** Script and stylesheet URLs the SSR landing requested, in order (first measured run). */
  ssrAssets: string[]
  blocked: string[]
  pageErrors: string[]
  htmlBytes: { ssr: number; static: number; csr: number }
  browserVersion: string
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Runs in the page before any of its own scripts: notes when the title first shows up. */
function probeScript(title: string): string {
  return `(() => {
  const title = ${JSON.stringify(title)};
  const state = { titleAt: null };
  Object.defineProperty(window, '__kqBench', { value: state });
  const skip = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TITLE']);
  const present = () => {
    const body = document.body;
    if (!body) return 'no';
    let result = 'no';
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip.has(el.tagName) || !n.data.includes(title)) continue;
      if (el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden') return 'yes';
      result = 'hidden';
    }
    return result;
  };
  let polling = false;
  const check = () => {
    if (state.titleAt !== null) return;
    const p = present();
    if (p === 'yes') { state.titleAt = performance.now(); mo.disconnect(); return; }
    if (p === 'hidden' && !polling) {
      polling = true;
      const poll = () => { check(); if (state.titleAt === null) requestAnimationFrame(poll); };
      requestAnimationFrame(poll);
    }
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { childList: true, subtree: true, characterData: true });
})();`
}

/** The real SSR response with its scripts (and the module preloads that fetch scripts) removed. */
export function staticVariant(ssrHtml: string): string {
  return ssrHtml
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, '')
}

/** The real SSR response with the server-rendered markup taken out of #app; state and entry script stay. */
export function csrVariant(ssrHtml: string): string {
  const out = ssrHtml.replace(/(<div id="app"[^>]*>)[\s\S]*?(<\/div>\s*<script id="kq-state")/, '$1$2')
  if (out === ssrHtml)
    throw new Error('could not find <div id="app">…</div> followed by the kq-state script in the SSR output')
  return out
}

export async function measureLanding(opts: {
  appUrl: string
  offerId: string
  title: string
  runs: number
  log: (s: string) => void
}): Promise<LandingResult> {
  const { appUrl, offerId, title, runs, log } = opts
  const ssrPath = `/o/${offerId}?ch=share`
  const ssrRes = await fetch(appUrl + ssrPath, { headers: { 'user-agent': WECHAT_UA, accept: 'text/html' } })
  if (ssrRes.status !== 200) throw new Error(`GET ${ssrPath} answered ${ssrRes.status}`)
  const ssrHtml = await ssrRes.text()
  if (!ssrHtml.includes(title)) throw new Error(`the SSR landing does not contain the title ${title}`)
  const headers: Record<string, string> = {}
  for (const k of [
    'content-type',
    'cache-control',
    'content-security-policy',
    'x-content-type-options',
    'referrer-policy',
  ]) {
    const v = ssrRes.headers.get(k)
    if (v) headers[k] = v
  }
  const staticHtml = staticVariant(ssrHtml)
  const csrHtml = csrVariant(ssrHtml)

  const front = await startFront(appUrl)
  const paths = { static: `/o/${offerId}?ch=share&static=1`, ssr: ssrPath, csr: `/o/${offerId}?ch=share&csr=1` }
  front.serve(paths.static, { html: staticHtml, headers })
  front.serve(paths.csr, { html: csrHtml, headers })
  const urls: Record<VariantKey, string> = {
    static: front.origin + paths.static,
    ssr: front.origin + paths.ssr,
    csr: front.origin + paths.csr,
    direct: appUrl + ssrPath,
  }

  const dir = mkdtempSync(join(tmpdir(), 'kaquan-bench-'))
  let context: BrowserContext | null = null
  const blocked: string[] = []
  const pageErrors: string[] = []
  const ssrAssets: string[] = []
  let browserVersion = '?'
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 375, height: 740 },
      isMobile: true,
      userAgent: WECHAT_UA,
    })
    // Only loopback: WeChat's JS-SDK would otherwise report to its own hosts.
    await context.route(
      url => url.hostname !== '127.0.0.1',
      route => {
        blocked.push(route.request().url())
        return route.abort('blockedbyclient')
      },
    )
    await context.addInitScript({ content: probeScript(title) })
    for (const p of context.pages()) await p.close()

    const ctx = context
    async function once(key: VariantKey, throttled: boolean, recordAssets = false): Promise<Sample> {
      await ctx.clearCookies()
      const page: Page = await ctx.newPage()
      try {
        page.on('pageerror', e => pageErrors.push(`${key}: ${e.message}`))
        if (recordAssets)
          page.on('request', r => {
            if (['script', 'stylesheet'].includes(r.resourceType())) ssrAssets.push(new URL(r.url()).pathname)
          })
        const cdp = await ctx.newCDPSession(page)
        if (browserVersion === '?') browserVersion = (await cdp.send('Browser.getVersion')).product
        await cdp.send('Network.enable')
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
        if (throttled) {
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: throttle.latency,
            downloadThroughput: throttle.downloadThroughput,
            uploadThroughput: throttle.uploadThroughput,
          })
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpuRate })
        }
        await page.goto(urls[key], { waitUntil: 'commit', timeout: 30_000 })
        await page.waitForFunction(
          () => {
            const w = window as unknown as { __kqBench?: { titleAt: number | null } }
            return (
              w.__kqBench?.titleAt != null &&
              performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint')
            )
          },
          null,
          { polling: 50, timeout: 30_000 },
        )
        const m = await page.evaluate(() => {
          const w = window as unknown as { __kqBench: { titleAt: number } }
          const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')!.startTime
          return { fcp, title: w.__kqBench.titleAt }
        })
        await cdp.detach()
        return { paint: Math.max(m.fcp, m.title), fcp: m.fcp, title: m.title }
      } finally {
        await page.close()
      }
    }

    const keys: VariantKey[] = ['static', 'ssr', 'csr', 'direct']
    // Warm the server (SSR module, JIT) and the browser once per variant; not counted.
    for (const k of keys) await once(k, false)
    const samples: Record<VariantKey, Sample[]> = { static: [], ssr: [], csr: [], direct: [] }
    for (let i = 0; i < runs; i++) {
      // Rotate the order every round so no variant always runs first.
      for (let j = 0; j < keys.length; j++) {
        const k = keys[(i + j) % keys.length]!
        samples[k].push(await once(k, true, k === 'ssr' && ssrAssets.length === 0))
      }
      log(
        `  landing round ${i + 1}/${runs}: ${keys.map(k => `${k} ${Math.round(samples[k].at(-1)!.paint)} ms`).join(', ')}`,
      )
    }
    const labels: Record<VariantKey, string> = {
      static: 'a  static HTML, scripts stripped',
      ssr: 'b  SSR landing',
      csr: 'c  client-rendered shell',
      direct: '   (b without the front server)',
    }
    const variants = Object.fromEntries(
      keys.map(k => {
        const s = samples[k]
        return [
          k,
          {
            key: k,
            label: labels[k],
            url: urls[k],
            samples: s,
            median: {
              paint: median(s.map(x => x.paint)),
              fcp: median(s.map(x => x.fcp)),
              title: median(s.map(x => x.title)),
            },
          },
        ]
      }),
    ) as Record<VariantKey, VariantResult>
    return {
      variants,
      ssrAssets,
      blocked,
      pageErrors,
      browserVersion,
      htmlBytes: {
        ssr: Buffer.byteLength(ssrHtml),
        static: Buffer.byteLength(staticHtml),
        csr: Buffer.byteLength(csrHtml),
      },
    }
  } finally {
    await context?.close()
    await front.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
