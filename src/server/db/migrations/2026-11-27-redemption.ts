import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupons').addColumn('redeemed_by', 'text').execute()
  // clerk: redeemed at the counter in Kaquan; wechat: consumed with WeChat's own tools (user_consume_card).
  await db.schema.alterTable('coupons').addColumn('redeemed_source', 'text').execute()

  await db.schema
    .createTable('clerk_invites')
    .addColumn('token_hash', 'text', c => c.primaryKey())
    .addColumn('store_id', 'text', c => c.notNull().references('stores.id'))
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by', 'text')
    .execute()

  await db.schema
    .createTable('clerks')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('store_id', 'text', c => c.notNull().references('stores.id'))
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute()
  await db.schema.createIndex('clerks_user_store').on('clerks').columns(['user_id', 'store_id']).unique().execute()

  // Calls to WeChat that must happen after a local write commits, delivered by a worker until WeChat confirms.
  await db.schema
    .createTable('wx_outbox')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('coupon_id', 'text', c => c.notNull())
    .addColumn('payload', 'text', c => c.notNull())
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('next_at', 'bigint', c => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('done_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('wx_outbox_due').on('wx_outbox').columns(['done_at', 'next_at']).execute()
  await db.schema.createIndex('wx_outbox_coupon_kind').on('wx_outbox').columns(['coupon_id', 'kind']).unique().execute()
  await db.schema
    .createIndex('coupons_redeemed_store')
    .on('coupons')
    .columns(['redeemed_store_id', 'redeemed_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wx_outbox').execute()
  await db.schema.dropTable('clerks').execute()
  await db.schema.dropTable('clerk_invites').execute()
  await db.schema.alterTable('coupons').dropColumn('redeemed_source').execute()
  await db.schema.alterTable('coupons').dropColumn('redeemed_by').execute()
}
