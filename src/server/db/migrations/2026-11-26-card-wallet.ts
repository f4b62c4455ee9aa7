import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupons').addColumn('wallet_removed_at', 'bigint').execute()

  // The sandbox's WeChat: the merchant's cards, and each sandbox user's card wallet.
  await db.schema
    .createTable('sandbox_cards')
    .addColumn('card_id', 'text', c => c.primaryKey())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('brand_name', 'text', c => c.notNull())
    .addColumn('color', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()

  await db.schema
    .createTable('sandbox_wallet')
    .addColumn('code', 'text', c => c.primaryKey())
    .addColumn('card_id', 'text', c => c.notNull())
    .addColumn('openid', 'text', c => c.notNull())
    .addColumn('outer_str', 'text')
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('added_at', 'bigint', c => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute()
  await db.schema.createIndex('sandbox_wallet_openid').on('sandbox_wallet').column('openid').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sandbox_wallet').execute()
  await db.schema.dropTable('sandbox_cards').execute()
  await db.schema.alterTable('coupons').dropColumn('wallet_removed_at').execute()
}
