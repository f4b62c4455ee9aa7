/**
 * The sandbox's own migrations, with their own bookkeeping tables, run only in sandbox mode
 * (after the product's): a live database never holds WeChat's side of the world.
 */
import { type Migration, Migrator } from 'kysely'
import type { Db } from '../db/index.ts'
import * as wechat from './migrations/2026-11-24-sandbox-wechat.ts'
import * as settings from './migrations/2026-12-01-sandbox-settings.ts'
import * as wxpay from './migrations/2026-12-02-sandbox-wxpay.ts'

/** Listed by hand, in date order, as the product's are. */
const migrations: Record<string, Migration> = {
  '2026-11-24-sandbox-wechat': wechat,
  '2026-12-01-sandbox-settings': settings,
  '2026-12-02-sandbox-wxpay': wxpay,
}

export async function migrateSandbox(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'sandbox_migration',
    migrationLockTableName: 'sandbox_migration_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error || failed) throw new Error(`sandbox migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
}
