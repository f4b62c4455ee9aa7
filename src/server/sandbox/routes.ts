/**
 * The simulated WeChat, mounted under /__wx only when no WX_APPID is configured.
 * It speaks WeChat's paths and error codes so src/server/wechat talks to it unchanged.
 */
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps.ts'
import { sandboxApi } from './api.ts'
import { sandboxBridge } from './bridge.ts'
import { Deferred } from './deferred.ts'
import { sandboxOAuth } from './oauth.ts'
import { sandboxPersonas } from './personas.ts'

export function sandboxRoutes(app: FastifyInstance, deps: Deps): void {
  const later = new Deferred()
  app.addHook('onClose', () => later.close())
  sandboxOAuth(app, deps)
  sandboxApi(app, deps, later)
  sandboxBridge(app, deps, later)
  sandboxPersonas(app, deps)
}
