/** The HTTP edge of the WeChat layer: wx.config signing for the web app, and WeChat's push endpoint. */
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { jssdkConfigBody } from '../../shared/api/wechat.ts'
import type { Deps } from '../deps.ts'
import { AppError, parse } from '../http/errors.ts'
import { jssdkConfig, signableUrl } from './jssdk.ts'
import { recordPushOnce } from './push-events.ts'
import { openPush, PushRefused, type PushEvent, pushQuery, verifyUrl } from './push.ts'

/** Domain code that reacts to an event, inside the transaction that records it as handled. */
export type PushHandler = (trx: Transaction<Database>, event: PushEvent, deps: Deps) => Promise<void>
export type PushHandlers = Partial<Record<string, PushHandler>>

export function wechatRoutes(app: FastifyInstance, deps: Deps, handlers: PushHandlers): void {
  const { config, db, clock } = deps

  app.post('/api/jssdk/config', async request => {
    const { url } = parse(jssdkConfigBody, request.body, 'body')
    const signable = signableUrl(url, config.publicUrl)
    if (!signable) throw new AppError('invalid_request', `body.url: must be a page of ${config.publicUrl}`)
    return jssdkConfig(deps.wx.credentials, config.wx.appId, signable, clock.now())
  })

  app.get('/wechat/push', async (request, reply) => {
    const q = parse(pushQuery, request.query, 'query')
    if (!verifyUrl(config.wx, q)) throw new AppError('unauthenticated', 'signature does not match')
    return reply.type('text/plain').send(q.echostr ?? '')
  })

  app.post('/wechat/push', async (request, reply) => {
    const q = parse(pushQuery, request.query, 'query')
    let event: PushEvent
    try {
      event = openPush(config.wx, q, typeof request.body === 'string' ? request.body : '', clock.now())
    } catch (err) {
      if (!(err instanceof PushRefused)) throw err
      throw new AppError(err.kind === 'malformed' ? 'invalid_request' : 'unauthenticated', err.message)
    }
    if (!event.FromUserName || !event.CreateTime || !event.MsgType)
      throw new AppError('invalid_request', 'push lacks FromUserName, CreateTime or MsgType')
    // Recording the event and handling it commit together: a handler that fails leaves the
    // event unrecorded, so WeChat's retry gets another chance.
    await db.transaction().execute(async trx => {
      if (!(await recordPushOnce(trx, event, clock.now()))) return
      // Own handlers only: an event named `constructor` or `__proto__` is not one of ours.
      const handler = event.Event && Object.hasOwn(handlers, event.Event) ? handlers[event.Event] : undefined
      if (handler) await handler(trx, event, deps)
    })
    return reply.type('text/plain').send('success')
  })
}
