/**
 * WeChat Pay's callback endpoint, POST /wechatpay/notify (领券事件回调通知; 通知应答 in WeChat Pay's APIv3
 * rules). The signature is checked over the raw bytes, so this route alone keeps them unparsed. A
 * verified notification is recorded by id and handled in one transaction: a repeat is answered 204
 * and changes nothing; a handler that fails leaves it unrecorded and answers 500, so WeChat Pay
 * sends it again. Every refusal is WeChat Pay's {code, message} with a 4xx or 5xx.
 */
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../http/errors.ts'
import { NOTIFY_PATH } from './keys.ts'
import { NotifyRefused, notifyKeysOf, openNotification, refusalStatus, type WxPayNotification } from './notify.ts'
import { handleOnce } from './received.ts'

/** Domain code that reacts to a notification, inside the transaction that records it as handled. */
export type NotifyHandler = (trx: Transaction<Database>, n: WxPayNotification, deps: Deps) => Promise<void>
export type NotifyHandlers = Partial<Record<string, NotifyHandler>>

export function wxPayRoutes(app: FastifyInstance, deps: Deps, handlers: NotifyHandlers): void {
  const { db, clock } = deps
  app.register(async scope => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    scope.setErrorHandler((err: { statusCode?: number }, request, reply) => {
      const code = err instanceof AppError ? err.status : err.statusCode
      const status = code && code >= 400 && code < 500 ? code : 500
      if (status === 500) request.log.error({ err }, 'WeChat Pay notification failed')
      return reply.status(status).send({ code: 'FAIL', message: status === 500 ? '失败' : '请求格式错误' })
    })

    scope.post(NOTIFY_PATH, async (request, reply) => {
      const wxpay = deps.config.wxpay
      if (!wxpay) return reply.status(404).send({ code: 'FAIL', message: 'WeChat Pay is not configured' })
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      let n: WxPayNotification
      try {
        n = openNotification(notifyKeysOf(wxpay), request.headers, raw, clock.now())
      } catch (err) {
        if (!(err instanceof NotifyRefused)) throw err
        request.log.warn({ refusal: err.kind }, `WeChat Pay notification refused: ${err.message}`)
        return reply.status(refusalStatus[err.kind]).send({ code: 'FAIL', message: err.message })
      }
      await handleOnce(db, n, clock.now(), async trx => {
        // Own handlers only: an event type named `constructor` is not one of ours.
        if (Object.hasOwn(handlers, n.eventType)) await handlers[n.eventType]?.(trx, n, deps)
      })
      return reply.status(204).send()
    })
  })
}
