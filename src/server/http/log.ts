/**
 * What the request log may say about a request. Fastify's default line carries the whole URL;
 * some query strings are secrets: WeChat's push signature, timestamp and nonce (with them a
 * plaintext push could be forged), an OAuth code and state, a clerk invite, and the sandbox's
 * access_token and appsecret. Those paths are logged without their query.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify'

const SECRET_QUERY = [
  /^\/wechat\/push$/,
  /^\/auth\/wechat\/callback$/,
  /^\/clerk\/join$/,
  /^\/console\/join$/,
  /^\/console\/scan$/,
  /^\/__wx\/api\//,
]

export function loggedUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const path = url.slice(0, q)
  return SECRET_QUERY.some(re => re.test(path)) ? `${path}?[redacted]` : url
}

function req(request: FastifyRequest) {
  return {
    method: request.method,
    url: loggedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

/** The app's logger options with the request serializer above. */
export function loggerOptions(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false
  const base = logger === true ? {} : logger
  return { ...base, serializers: { ...base.serializers, req } }
}
