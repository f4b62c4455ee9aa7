import { type Migration, type MigrationProvider, Migrator } from 'kysely'
import type { Db } from './index.ts'
import * as consumerPath from './migrations/2026-11-24-consumer-path.ts'
import * as wechatPlatform from './migrations/2026-11-25-wechat-platform.ts'
import * as cardWallet from './migrations/2026-11-26-card-wallet.ts'
import * as redemption from './migrations/2026-11-27-redemption.ts'
import * as trust from './migrations/2026-12-01-trust.ts'
import * as busifavor from './migrations/2026-12-02-busifavor.ts'
import * as merchantConsole from './migrations/2026-12-03-console.ts'
import * as funnel from './migrations/2026-12-03-funnel.ts'
import * as channels from './migrations/2026-12-04-channels.ts'
import * as catalog from './migrations/2026-12-05-catalog.ts'
import * as claimFunction from './migrations/2026-12-05-claim-function.ts'
import * as funnelSlots from './migrations/2026-12-06-funnel-slots.ts'

/** Listed by hand, in date order: the migration table is visible, not loaded from a folder scan. */
const migrations: Record<string, Migration> = {
  '2026-11-24-consumer-path': consumerPath,
  '2026-11-25-wechat-platform': wechatPlatform,
  '2026-11-26-card-wallet': cardWallet,
  '2026-11-27-redemption': redemption,
  '2026-12-01-trust': trust,
  '2026-12-02-busifavor': busifavor,
  '2026-12-03-console': merchantConsole,
  '2026-12-03-funnel': funnel,
  '2026-12-04-channels': channels,
  '2026-12-05-catalog': catalog,
  '2026-12-05-claim-function': claimFunction,
  '2026-12-06-funnel-slots': funnelSlots,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
}

/** Undoes the latest migration (that file's `down`); no script calls it yet, the tests check a `down` with it. */
export async function migrateDownOne(db: Db): Promise<string | undefined> {
  const { error, results } = await new Migrator({ db, provider }).migrateDown()
  const failed = results?.find(r => r.status === 'Error')
  if (error || failed) throw new Error(`undoing ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  return results?.[0]?.migrationName
}
