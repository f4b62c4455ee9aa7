/**
 * WeChat Pay's side of every /__wxpay call (APIv3 签名生成, 验证签名, HTTP 状态码及错误码): the raw body kept for
 * the signature, Accept and User-Agent required, the Authorization checked with the merchant's
 * public key, Wechatpay-Serial checked, planned faults taken, and every answer (errors included)
 * signed with the platform key. Routes return a body or throw PayRefusal.
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Deps } from '../../deps.ts'
import { AppError } from '../../http/errors.ts'
import { randomToken } from '../../random.ts'
import { verifyRequestAuthorization } from '../../wechatpay/sign.ts'
import { signResponse } from '../../wechatpay/verify.ts'
import { countCall, takeFault } from '../faults.ts'
import { sandboxDb } from '../schema.ts'
import type { SandboxWxPay } from './keys.ts'

export const PREFIX = '/__wxpay'

/** A refusal in WeChat Pay's own shape: {code, message, detail?} with its HTTP status. */
export class PayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message)
  }
}

export const notExists = () =>
  new PayRefusal(404, 'RESOURCE_NOT_EXISTS', '查询不到该券,请确认批次号与coupon_code是否匹配')

/** The body as WeChat Pay reads it: JSON first, then the fields, each mistake a PARAM_ERROR naming the field. */
/** A path or query part, read with its schema as WeChat Pay reads it: a mismatch is 400 PARAM_ERROR. */
export function payPart<S extends z.ZodType>(schema: S, value: unknown, location: 'path' | 'query'): z.infer<S> {
  const r = schema.safeParse(value ?? {})
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const field = `/${issue?.path.join('/') ?? ''}`
  throw new PayRefusal(400, 'PARAM_ERROR', `参数错误：${field} ${issue?.message ?? ''}`.trim(), { field, location })
}

export function payBody<S extends z.ZodType>(schema: S, raw: Buffer): z.infer<S> {
  let json: unknown
  try {
    json = raw.length ? JSON.parse(raw.toString('utf8')) : {}
  } catch {
    throw new PayRefusal(400, 'PARAM_ERROR', '输入源“/body”映射到字段失败，请求体不是合法的JSON')
  }
  const r = schema.safeParse(json)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const field = `/${issue?.path.join('/') ?? ''}`
  throw new PayRefusal(400, 'PARAM_ERROR', `参数错误：${field} ${issue?.message ?? ''}`.trim(), {
    field,
    issue: issue?.message,
    location: 'body',
  })
}

export interface PayCall {
  request: FastifyRequest
  raw: Buffer
  now: number
  mchid: string
}

type Handler = (call: PayCall) => Promise<unknown>

/** How long a `hang` fault holds the answer; closing the app lets go sooner. */
const HANG_MS = 10_000

export function wxPayScope(
  app: FastifyInstance,
  deps: Deps,
  keys: () => Promise<SandboxWxPay>,
  routes: (api: { get: (path: string, h: Handler) => void; post: (path: string, h: Handler) => void }) => void,
): void {
  const db = sandboxDb(deps.db)
  const hanging = new Set<() => void>()
  app.addHook('preClose', async () => {
    for (const release of hanging) release()
  })

  async function send(reply: FastifyReply, status: number, body: unknown, badSig = false) {
    const k = await keys()
    const text = body === undefined ? '' : JSON.stringify(body)
    const signed = signResponse(k.platformPrivateKey, k.platformPublicKeyId, badSig ? `${text}\n` : text, {
      timestamp: String(deps.clock.now()),
      nonce: randomToken(32),
    })
    return reply
      .status(status)
      .headers({ ...signed, 'Request-ID': randomUUID(), 'content-type': 'application/json; charset=utf-8' })
      .send(text)
  }

  const handle = (h: Handler) => async (request: FastifyRequest, reply: FastifyReply) => {
    // Named as the fault targets and call counts name it: the path below /__wxpay with {params}.
    const api = request.routeOptions.url!.slice(PREFIX.length).replace(/:(\w+)/g, '{$1}')
    await countCall(db, `wxpay:${api}`)
    const k = await keys()
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const refuse = (status: number, body: unknown) => send(reply, status, body)
    if (!request.headers.accept || !request.headers['user-agent'])
      return refuse(400, { code: 'INVALID_REQUEST', message: 'Http头缺少Accept或User-Agent' })
    const check = verifyRequestAuthorization(
      { authorization: request.headers.authorization, method: request.method, url: request.url, body: raw },
      { mchid: k.mchid, certSerial: k.certSerial, publicKey: k.merchantPublicKey },
      deps.clock.now(),
    )
    if (!check.ok) return refuse(check.status, check.body)
    const serial = request.headers['wechatpay-serial']
    if (serial !== undefined && serial !== k.platformPublicKeyId)
      return refuse(400, { code: 'INVALID_REQUEST', message: 'Wechatpay-Serial 与商户的微信支付公钥ID不一致' })

    const fault = (await takeFault(db, `wxpay:${api}`)) ?? (await takeFault(db, 'wxpay:*'))
    if (fault === 'SYSTEM_ERROR') return refuse(500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' })
    if (fault === '429') return refuse(429, { code: 'FREQUENCY_LIMITED', message: '频率超限，请降低请求频率' })
    if (fault === 'hang' || fault === 'drop') {
      reply.hijack()
      if (fault === 'hang')
        await new Promise<void>(resolve => {
          const release = () => {
            clearTimeout(timer)
            hanging.delete(release)
            resolve()
          }
          const timer = setTimeout(release, HANG_MS)
          hanging.add(release)
        })
      // No answer at all: the caller can't know whether anything happened.
      request.raw.socket.destroy()
      return
    }
    let status = 200
    let body: unknown
    try {
      body = await h({ request, raw, now: deps.clock.now(), mchid: k.mchid })
    } catch (err) {
      if (!(err instanceof PayRefusal)) throw err
      status = err.status
      body = { code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) }
    }
    // The change is made, the answer lost: what a retry with the same request number must survive.
    if (fault === 'afterEffect') return refuse(500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' })
    return send(reply, status, body, fault === 'badsig')
  }

  app.register(
    async api => {
      // The signature covers the exact bytes sent, so no parser may touch them first.
      api.removeAllContentTypeParsers()
      api.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
      api.setNotFoundHandler((_request, reply) => send(reply, 404, { code: 'NOT_FOUND', message: '资源不存在' }))
      api.setErrorHandler((err: { statusCode?: number }, request, reply) => {
        // Refusals at the edge (a NUL, a malformed body) are the caller's mistake, as Fastify's own are.
        const s = err instanceof AppError ? err.status : (err.statusCode ?? 500)
        if (s >= 500) request.log.error({ err }, 'sandbox WeChat Pay failed')
        return s < 500
          ? send(reply, s, { code: 'PARAM_ERROR', message: '请求格式错误' })
          : send(reply, 500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' })
      })
      routes({
        get: (path, h) => api.get(path, handle(h)),
        post: (path, h) => api.post(path, handle(h)),
      })
    },
    { prefix: PREFIX },
  )
}
