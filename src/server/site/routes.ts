/**
 * Serves the built web app. Landing pages (a tapped chat link, a scanned store poster, the
 * offer list) are rendered on the server with their data inlined; other pages get the
 * shell with the site's meta and the user, and render in the browser.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { attributionSchema } from '../../shared/api/common.ts'
import type { InitialState } from '../../shared/api/site.ts'
import { offerValueLabel } from '../../shared/money.ts'
import { isConsolePath, matchLanding, pagePaths } from '../../shared/routes.ts'
import { recordView } from '../analytics/views.ts'
import { visitorOf } from '../analytics/visitors.ts'
import { sessionUserDto } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { escapeHtml, messagePage, pageCss } from '../http/page.ts'
import { MomentCache } from '../offers/moment-cache.ts'
import { getOffer, getStore, listLiveOffers } from '../offers/service.ts'
import { builtSite, viteSite } from './sources.ts'

type ViewTarget = Parameters<typeof recordView>[1]
interface RenderedPage {
  status: number
  body: string
  /** The body gzipped, made by the first visitor whose browser takes gzip (WeChat's does). */
  gzipped?: Buffer
  /** What a visit to this page records a view of. */
  viewed: ViewTarget | null
}

/** Whether a request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  return header.split(',').some(part => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    if (coding?.trim() !== 'gzip' && coding?.trim() !== '*') return false
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

/**
 * In sandbox mode the page gets a stand-in for WeChat's native bridge. Real WeChat injects
 * WeixinJSBridge on its own schedule and fires WeixinJSBridgeReady, which the SDK waits for; so
 * the stand-in is deferred, never blocking the first paint. Deferred scripts run in document
 * order, and this one comes before the app's module, so it still sees the landing URL (which
 * iOS verifies against) before the router can change it.
 */
const SANDBOX_BRIDGE = '<script defer src="/__wx/bridge.js"></script>'

export async function siteRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config, clock } = deps
  const clientDir = join(resolve(config.distDir), 'client')
  const source = config.devVite ? await viteSite() : builtSite(config.distDir)
  // Under npm run dev the components change under the server's feet: render every time.
  const rendered = new MomentCache<RenderedPage>(deps.catalog, config.devVite ? 0 : 300)
  app.addHook('onClose', () => source.close())

  if (existsSync(join(clientDir, 'assets'))) {
    // Hashed file names change with their content, so they can be cached for good.
    await app.register(fastifyStatic, {
      root: join(clientDir, 'assets'),
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      wildcard: true,
    })
  }
  app.get('/favicon.svg', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').sendFile('favicon.svg', clientDir),
  )
  app.get('/__page.css', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css').send(pageCss),
  )

  function head(state: InitialState): string {
    const o = state.offer
    const title = o
      ? `${o.title} · ${o.merchant.name}`
      : state.store
        ? `${state.store.store.name} · ${state.store.store.merchant.name}`
        : '卡券'
    const desc = o ? `${offerValueLabel(o).summary}，${o.description}` : '领取优惠券，到店出示即可使用'
    return `<title>${escapeHtml(title)}</title><meta name="description" content="${escapeHtml(desc)}">`
  }

  async function page(request: FastifyRequest, reply: FastifyReply) {
    const url = new URL(request.url, config.publicUrl)
    const site = await source.load(request.url, isConsolePath(url.pathname) ? 'console' : 'app')
    if (!site)
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(messagePage({ title: '站点尚未构建', message: '请先运行 npm run build。' }))
    // From the session cookie alone: a landing page needs no database round trip for who is looking.
    const user = sessionUserDto(deps, request)
    const state: InitialState = {
      meta: { sandbox: config.sandbox, appId: config.wx.appId },
      user,
    }
    const attribution =
      attributionSchema.safeParse(
        Object.fromEntries(
          ['ch', 'ref', 'store'].flatMap(k => (url.searchParams.has(k) ? [[k, url.searchParams.get(k)]] : [])),
        ),
      ).data ?? {}
    const now = clock.now()
    const viewer = { userId: user?.id ?? null, ip: request.ip, visitor: visitorOf(deps, request, reply) }
    const landing = matchLanding(url.pathname)
    const path = url.pathname + decodableSearch(url)
    // A landing page is about 12 KB of HTML (its stylesheet and data inline), a quarter of that gzipped.
    const gzip = acceptsGzip(request.headers['accept-encoding'])
    const send = (p: RenderedPage) => {
      reply.status(p.status).type('text/html; charset=utf-8').header('cache-control', 'no-cache')
      reply.header('vary', 'accept-encoding')
      if (!gzip) return reply.send(p.body)
      p.gzipped ??= gzipSync(p.body, { level: 6 })
      return reply.header('content-encoding', 'gzip').send(p.gzipped)
    }
    const make = async (): Promise<RenderedPage> => {
      let status = 200
      let viewed: ViewTarget | null = null
      // An offer or store link whose id can't be one (mangled in a chat, a probe): that page's not-found state.
      const route = request.routeOptions.url
      if (!landing && (route === pagePaths.offer || route === pagePaths.store)) {
        status = 404
        state.missing = route === pagePaths.offer ? 'offer' : 'store'
      }
      if (landing?.page === 'offer') {
        const offer = await getOffer(deps.catalog, landing.params.offerId!, user?.id ?? null, now)
        if (offer) {
          state.offer = offer
          viewed = { merchantId: offer.merchant.id, offerId: offer.id }
        } else {
          status = 404
          state.missing = 'offer'
        }
      } else if (landing?.page === 'store') {
        const store = await getStore(deps.catalog, landing.params.storeId!)
        if (store) {
          const { merchantId, ...dto } = store
          state.store = {
            store: dto,
            offers: await listLiveOffers(deps.catalog, { storeId: store.id, userId: user?.id ?? null }, now),
          }
          viewed = { merchantId, storeId: store.id }
        } else {
          status = 404
          state.missing = 'store'
        }
      } else if (landing?.page === 'offers') {
        state.offers = await listLiveOffers(deps.catalog, { userId: user?.id ?? null }, now)
      }
      const html = landing ? await site.render(path, state) : ''
      const body = site.template.fill({ head: head(state) + (config.sandbox ? SANDBOX_BRIDGE : ''), html, state })
      return { status, body, viewed }
    }
    // A logged-out visitor's landing page is a function of its URL, the catalog and the second (an
    // offer's phase): a tapped link's thousandth visitor gets the first one's bytes. Every visit
    // records its view.
    const done = landing && !user ? await rendered.get(path, now, make) : await make()
    if (done.viewed) await recordView(deps, done.viewed, attribution, viewer)
    return send(done)
  }

  for (const path of Object.values(pagePaths)) app.get(path, page)
}

/** The query as the router can read it: a parameter whose percent-encoding is broken is left out. */
function decodableSearch(url: URL): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter(pair => {
      try {
        decodeURIComponent(pair.replace(/\+/g, ' '))
        return pair !== ''
      } catch {
        return false
      }
    })
  return kept.length ? `?${kept.join('&')}` : ''
}
