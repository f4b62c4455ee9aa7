import type { SessionRevocations } from './auth/revocations.ts'
import type { ViewBuffer } from './analytics/view-buffer.ts'
import type { ChannelCodes } from './channels/codes.ts'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import type { Db, Engine } from './db/index.ts'
import type { WindowLimiter } from './limits/memory.ts'
import type { OfferCatalog } from './offers/catalog.ts'
import type { WxClient } from './wechat/client.ts'

/** What every route module is built from. buildApp makes one; tests make theirs. */
export interface Deps {
  config: Config
  db: Db
  engine: Engine
  clock: Clock
  /** WeChat's token-bearing APIs, with the shared credential cache behind them. */
  wx: WxClient
  /** Ended sessions, known to this process without a database round trip. */
  sessions: SessionRevocations
  /** Per-process limits on things that cost rows: view events (analytics/views.ts), login starts (auth/routes.ts). */
  limits: { views: WindowLimiter; logins: WindowLimiter }
  /** The ch= codes that count, per merchant, kept in memory (channels/codes.ts). */
  channels: ChannelCodes
  /** Offers, stores and merchants as consumers read them, kept in memory (offers/catalog.ts). */
  catalog: OfferCatalog
  /** Views waiting to be written in the next batch (analytics/view-buffer.ts). */
  views: ViewBuffer
}
