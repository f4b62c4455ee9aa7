/**
 * The one way the server refuses a request: throw an AppError with a code from the shared
 * set. The handler here turns it (and Fastify's own errors) into { error: { code, message } }.
 * A 5xx never carries internals; they go to the log.
 */
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { type ErrorCode, type ExtrasOf, errorStatus } from '../../shared/api/errors.ts'
import { WeChatError } from '../wechat/errors.ts'

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** The code's extra fields, as shared/api/errors.ts types them. */
    readonly extra: Partial<ExtrasOf<C>> = {},
  ) {
    super(message)
  }

  get status(): number {
    return errorStatus[this.code]
  }
}

/** Validates a request part at the edge; a mismatch is the client's mistake, a 400. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, part: string): z.infer<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  // Every issue with its field, so a form can put each message next to its field.
  const issues = result.error.issues
    .slice(0, 20)
    .map(i => ({ field: i.path.map(String).join('.'), message: i.message }))
  const first = issues[0]
  const where = first?.field ? `${part}.${first.field}` : part
  throw new AppError('invalid_request', `${where}: ${first?.message ?? 'invalid'}`, {
    field: first?.field || undefined,
    issues,
  })
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: any, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...err.extra } })
    }
    if (err instanceof WeChatError) {
      request.log.warn({ api: err.api, errcode: err.errcode }, 'WeChat call failed')
      return reply
        .status(502)
        .send({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试' } })
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500
    if (status === 429)
      return reply.status(429).send({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } })
    if (status >= 400 && status < 500) {
      // Fastify's own refusals: unparsable JSON, a body too large, a wrong content type.
      return reply
        .status(status === 404 ? 404 : 400)
        .send({ error: { code: status === 404 ? 'not_found' : 'invalid_request', message: err.message } })
    }
    request.log.error({ err }, 'request failed')
    return reply.status(500).send({ error: { code: 'internal', message: '服务器开小差了，请稍后再试' } })
  })
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`)
}
