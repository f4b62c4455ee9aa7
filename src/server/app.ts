/** buildApp(deps): the whole Fastify app, not listening. main.ts listens; tests inject or listen on a free port. */
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, LogController } from 'fastify'
import { sql } from 'kysely'
import { consoleFunnelRoutes } from './analytics/routes.ts'
import { ViewBuffer } from './analytics/view-buffer.ts'
import { sweepViewMarksEvery, VIEWS_PER_MINUTE } from './analytics/views.ts'
import { SessionRevocations } from './auth/revocations.ts'
import { authRoutes, LOGIN_STARTS_PER_MINUTE } from './auth/routes.ts'
import { ChannelCodes } from './channels/codes.ts'
import { consoleChannelRoutes } from './channels/routes.ts'
import { scanLoginRoutes } from './auth/scan-routes.ts'
import { type Clock, systemClock } from './clock.ts'
import type { Config } from './config.ts'
import { couponRoutes } from './coupons/routes.ts'
import type { Db, Engine } from './db/index.ts'
import type { Deps } from './deps.ts'
import { AppError, registerErrorHandling } from './http/errors.ts'
import { refuseNul } from './http/input.ts'
import { loggerOptions } from './http/log.ts'
import { WindowLimiter } from './limits/memory.ts'
import { messagePage } from './http/page.ts'
import { registerSecurityHeaders } from './http/security.ts'
import { adminMerchantRoutes } from './merchants/admin-routes.ts'
import { requireJsonWrites } from './merchants/guard.ts'
import { merchantRoutes } from './merchants/routes.ts'
import { consoleOfferRoutes } from './offers/console-routes.ts'
import { OfferCatalog } from './offers/catalog.ts'
import { offerRoutes } from './offers/routes.ts'
import { sandboxRoutes } from './sandbox/routes.ts'
import { siteRoutes } from './site/routes.ts'
import { consoleStoreRoutes } from './stores/console-routes.ts'
import { consoleClerkRoutes } from './clerks/console-routes.ts'
import { clerkRoutes } from './clerks/routes.ts'
import { Outbox } from './redemption/outbox.ts'
import { redemptionPushHandlers } from './redemption/push.ts'
import { redemptionRoutes } from './redemption/routes.ts'
import { walletNotifyHandlers } from './wallet/notify.ts'
import { walletPushHandlers } from './wallet/push.ts'
import { walletRoutes } from './wallet/routes.ts'
import { WxClient } from './wechat/client.ts'
import { Credentials } from './wechat/credentials.ts'
import { type PushHandlers, wechatRoutes } from './wechat/routes.ts'
import { wxPayRoutes } from './wechatpay/routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox
    /** What the routes were built from: tests reach the app's own services through it. */
    deps: Deps
    /** Every route the app registers, as registered (the fuzzer reads it; no hand-kept list). */
    routeTable: RouteEntry[]
  }
}

export interface RouteEntry {
  method: string
  url: string
}

export interface AppOptions {
  config: Config
  db: Db
  engine: Engine
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Domain handlers for WeChat event pushes, by event name. */
  pushHandlers?: PushHandlers
  /** How long views wait to be written in one batch; 0 writes each before answering (tests). */
  viewFlushMs?: number
  /** How often the outbox worker looks for WeChat calls to deliver; 0 turns it off. */
  outboxIntervalMs?: number
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? systemClock
  // The sandbox fills in its own secret before the app is built (sandbox/secrets.ts); never run without one.
  if (opts.config.sessionSecret.length < 32)
    throw new Error('config.sessionSecret must be set (at least 32 characters)')
  const credentials = new Credentials(opts.db, clock, opts.config.wx)
  const wx = new WxClient(credentials, { apiBase: opts.config.wx.apiBase })
  const sessions = new SessionRevocations(opts.db, clock)
  const limits = {
    views: new WindowLimiter(VIEWS_PER_MINUTE, 60, clock),
    logins: new WindowLimiter(LOGIN_STARTS_PER_MINUTE, 60, clock),
  }
  const channels = new ChannelCodes(opts.db)
  const catalog = new OfferCatalog(opts.db)
  // Views are analytics: a batch that fails is logged and dropped, never retried into the next page's time.
  const views = new ViewBuffer(opts.db, opts.viewFlushMs ?? 200, err => app.log.error({ err }, 'writing views failed'))
  const deps: Deps = {
    config: opts.config,
    db: opts.db,
    engine: opts.engine,
    clock,
    wx,
    sessions,
    limits,
    channels,
    catalog,
    views,
  }
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    logController: new LogController({ disableRequestLogging: !opts.config.accessLog }),
    trustProxy: opts.config.trustProxy,
    bodyLimit: 64 * 1024,
    // Ids in paths are short; anything longer is a mistake or a probe.
    routerOptions: { maxParamLength: 128 },
    // Malformed URLs (bad percent-encoding, over-long params) answer in our error shape too.
    frameworkErrors: (err, _request, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: 'invalid_request', message: err.message.slice(0, 200) } })
    },
  })
  // Before any route or plugin, so every route is seen, the plugins' own included.
  const routeTable: RouteEntry[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', route => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url })
  })
  await app.register(fastifyCookie)
  await app.register(fastifyRateLimit, { global: false })
  // The sandbox's WeChat screens post plain HTML forms.
  // WeChat pushes XML; it is parsed and verified in src/server/wechat/push.ts.
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  )
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })
  registerErrorHandling(app)
  registerSecurityHeaders(app, opts.config)
  refuseNul(app)
  requireJsonWrites(app)

  app.get('/healthz', async () => {
    await sql`select 1`.execute(deps.db)
    return { ok: true }
  })
  authRoutes(app, deps)
  offerRoutes(app, deps)
  couponRoutes(app, deps)
  walletRoutes(app, deps)
  clerkRoutes(app, deps)
  redemptionRoutes(app, deps)
  adminMerchantRoutes(app, deps)
  merchantRoutes(app, deps)
  scanLoginRoutes(app, deps)
  consoleOfferRoutes(app, deps)
  consoleStoreRoutes(app, deps)
  consoleClerkRoutes(app, deps)
  consoleChannelRoutes(app, deps)
  consoleFunnelRoutes(app, deps)
  wechatRoutes(app, deps, { ...walletPushHandlers, ...redemptionPushHandlers, ...opts.pushHandlers })
  wxPayRoutes(app, deps, walletNotifyHandlers)
  if (opts.config.sandbox) sandboxRoutes(app, deps)
  await siteRoutes(app, deps)

  app.decorate('deps', deps)
  // A console or operator write changes what consumers read: this process reloads at once (the
  // write bumped catalog_version, which every other process notices within half a second).
  app.addHook('onSend', (request, reply, payload, done) => {
    const write = request.method === 'POST' || request.method === 'PATCH' || request.method === 'DELETE'
    const path = request.url
    if (write && reply.statusCode < 300 && (path.startsWith('/api/console/') || path.startsWith('/api/admin/')))
      catalog.invalidate()
    done(null, payload)
  })
  const outbox = new Outbox(deps)
  app.decorate('outbox', outbox)
  if ((opts.outboxIntervalMs ?? 2000) > 0)
    app.addHook('onReady', async () => outbox.start(opts.outboxIntervalMs ?? 2000))
  app.addHook('onClose', async () => outbox.stop())
  // Revocations are known before the first request is answered, then kept fresh.
  app.addHook('onReady', async () => sessions.start(1000))
  app.addHook('onReady', async () => channels.start(2000))
  app.addHook('onClose', async () => channels.stop())
  app.addHook('onClose', async () => sessions.stop())
  let stopSweeps = () => {}
  app.addHook('onReady', async () => {
    stopSweeps = sweepViewMarksEvery(deps, 10 * 60_000)
  })
  app.addHook('onClose', async () => stopSweeps())
  // Views still queued are written before the app lets go of the database.
  app.addHook('onClose', async () => views.close())

  app.setNotFoundHandler((request, reply) => {
    const wantsHtml =
      request.method === 'GET' &&
      String(request.headers.accept ?? '').includes('text/html') &&
      !request.url.startsWith('/api/')
    if (wantsHtml) {
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(
          messagePage({
            title: '页面不存在',
            message: '链接可能已失效，去看看其他优惠吧。',
            icon: 'info',
            actions: [{ label: '查看优惠', href: '/' }],
          }),
        )
    }
    throw new AppError('not_found', `${request.method} ${request.url.split('?')[0]} not found`)
  })
  return app
}
