/** Security headers on every answer. The CSP allows exactly what the pages use. */
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const csp = [
    `default-src 'self'`,
    `script-src 'self'`,
    // Vue binds style attributes at run time; the landing page inlines its stylesheet.
    `style-src 'self' 'unsafe-inline'`,
    // WeChat avatars come from its CDN; QR codes are data URLs.
    // open.weixin.qq.com receives the JS-SDK's own usage report (an image request).
    `img-src 'self' data: https://thirdwx.qlogo.cn https://wx.qlogo.cn https://open.weixin.qq.com`,
    `connect-src 'self'`,
    `font-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ')
  const https = config.publicUrl.startsWith('https:')
  // Callback hooks, not async ones: every answer passes here, and a promise per hook is measurable.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'strict-origin-when-cross-origin')
    reply.header('x-frame-options', 'DENY')
    reply.header('permissions-policy', 'geolocation=(), microphone=(), camera=()')
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('text/html')) reply.header('content-security-policy', csp)
    if (https) reply.header('strict-transport-security', 'max-age=31536000')
    done(null, payload)
  })
}
