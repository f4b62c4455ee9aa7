import type { Kysely } from 'kysely'

/**
 * WeChat's side, as the sandbox keeps it. `ifNotExists` because databases made before the sandbox
 * had migrations of its own already hold these tables (empty or not); they are simply kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sandbox_users')
    .ifNotExists()
    .addColumn('openid', 'text', c => c.primaryKey())
    .addColumn('nickname', 'text', c => c.notNull())
    .addColumn('avatar_color', 'text', c => c.notNull())
    .addColumn('snapshot', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()

  // OAuth codes: single-use, five minutes.
  await db.schema
    .createTable('sandbox_codes')
    .ifNotExists()
    .addColumn('code', 'text', c => c.primaryKey())
    .addColumn('openid', 'text', c => c.notNull())
    .addColumn('appid', 'text', c => c.notNull())
    .addColumn('scope', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()

  await db.schema
    .createTable('sandbox_tokens')
    .ifNotExists()
    .addColumn('token', 'text', c => c.primaryKey())
    .addColumn('appid', 'text', c => c.notNull())
    .addColumn('endpoint', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .execute()

  await db.schema
    .createTable('sandbox_tickets')
    .ifNotExists()
    .addColumn('ticket', 'text', c => c.primaryKey())
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .execute()

  await db.schema
    .createTable('sandbox_calls')
    .ifNotExists()
    .addColumn('api', 'text', c => c.primaryKey())
    .addColumn('count', 'integer', c => c.notNull())
    .execute()

  await db.schema
    .createTable('sandbox_faults')
    .ifNotExists()
    .addColumn('target', 'text', c => c.primaryKey())
    .addColumn('mode', 'text', c => c.notNull())
    .addColumn('remaining', 'integer', c => c.notNull())
    .execute()

  // The merchant's cards, and each sandbox user's card wallet.
  await db.schema
    .createTable('sandbox_cards')
    .ifNotExists()
    .addColumn('card_id', 'text', c => c.primaryKey())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('brand_name', 'text', c => c.notNull())
    .addColumn('color', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()

  await db.schema
    .createTable('sandbox_wallet')
    .ifNotExists()
    .addColumn('code', 'text', c => c.primaryKey())
    .addColumn('card_id', 'text', c => c.notNull())
    .addColumn('openid', 'text', c => c.notNull())
    .addColumn('outer_str', 'text')
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('added_at', 'bigint', c => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute()
  await db.schema.createIndex('sandbox_wallet_openid').ifNotExists().on('sandbox_wallet').column('openid').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'sandbox_wallet',
    'sandbox_cards',
    'sandbox_faults',
    'sandbox_calls',
    'sandbox_tickets',
    'sandbox_tokens',
    'sandbox_codes',
    'sandbox_users',
  ])
    await db.schema.dropTable(t).ifExists().execute()
}
