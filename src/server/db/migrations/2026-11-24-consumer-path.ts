import type { Kysely } from 'kysely'

/** Epoch seconds outlive 2038 only as bigint on PostgreSQL; SQLite integers are 64-bit already. */
const time = 'bigint'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('created_at', time, c => c.notNull())
    .execute()

  await db.schema
    .createTable('stores')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull().references('merchants.id'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('address', 'text', c => c.notNull())
    .addColumn('created_at', time, c => c.notNull())
    .execute()

  await db.schema
    .createTable('offers')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull().references('merchants.id'))
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('value_fen', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('threshold_fen', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('discount_percent', 'integer')
    .addColumn('gift_name', 'text')
    .addColumn('description', 'text', c => c.notNull().defaultTo(''))
    .addColumn('rules', 'text', c => c.notNull().defaultTo(''))
    .addColumn('image_url', 'text')
    .addColumn('stock_total', 'integer', c => c.notNull())
    .addColumn('stock_left', 'integer', c => c.notNull())
    .addColumn('per_user_limit', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('starts_at', time, c => c.notNull())
    .addColumn('ends_at', time, c => c.notNull())
    .addColumn('validity_type', 'text', c => c.notNull())
    .addColumn('valid_from', time)
    .addColumn('valid_to', time)
    .addColumn('valid_days', 'integer')
    .addColumn('all_stores', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('wx_card_id', 'text')
    .addColumn('created_at', time, c => c.notNull())
    .execute()
  await db.schema.createIndex('offers_merchant').on('offers').column('merchant_id').execute()

  await db.schema
    .createTable('offer_stores')
    .addColumn('offer_id', 'text', c => c.notNull().references('offers.id'))
    .addColumn('store_id', 'text', c => c.notNull().references('stores.id'))
    .addPrimaryKeyConstraint('offer_stores_pk', ['offer_id', 'store_id'])
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('openid', 'text', c => c.notNull().unique())
    .addColumn('nickname', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('is_snapshot', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('created_at', time, c => c.notNull())
    .addColumn('last_login_at', time, c => c.notNull())
    .execute()

  await db.schema
    .createTable('claim_counts')
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('offer_id', 'text', c => c.notNull().references('offers.id'))
    .addColumn('claimed', 'integer', c => c.notNull())
    .addPrimaryKeyConstraint('claim_counts_pk', ['user_id', 'offer_id'])
    .execute()

  await db.schema
    .createTable('coupons')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('offer_id', 'text', c => c.notNull().references('offers.id'))
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('code', 'text', c => c.notNull().unique())
    .addColumn('claimed_at', time, c => c.notNull())
    .addColumn('valid_from', time, c => c.notNull())
    .addColumn('valid_to', time, c => c.notNull())
    .addColumn('channel', 'text', c => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('store_id', 'text')
    .addColumn('in_wallet', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('wallet_added_at', time)
    .addColumn('redeemed_at', time)
    .addColumn('redeemed_store_id', 'text')
    .execute()
  await db.schema.createIndex('coupons_user').on('coupons').columns(['user_id', 'claimed_at']).execute()
  await db.schema.createIndex('coupons_offer').on('coupons').column('offer_id').execute()

  await db.schema
    .createTable('claim_keys')
    .addColumn('user_id', 'text', c => c.notNull())
    .addColumn('key', 'text', c => c.notNull())
    .addColumn('offer_id', 'text', c => c.notNull())
    .addColumn('coupon_id', 'text', c => c.notNull())
    .addColumn('created_at', time, c => c.notNull())
    .addPrimaryKeyConstraint('claim_keys_pk', ['user_id', 'key'])
    .execute()

  await db.schema
    .createTable('oauth_states')
    .addColumn('token', 'text', c => c.primaryKey())
    .addColumn('return_path', 'text', c => c.notNull())
    .addColumn('scope', 'text', c => c.notNull())
    .addColumn('attempt', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('created_at', time, c => c.notNull())
    .addColumn('expires_at', time, c => c.notNull())
    .addColumn('used_at', time)
    .execute()
  await db.schema.createIndex('oauth_states_expiry').on('oauth_states').column('expires_at').execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('offer_id', 'text')
    .addColumn('coupon_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('store_id', 'text')
    .addColumn('channel', 'text', c => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('created_at', time, c => c.notNull())
    .execute()
  await db.schema.createIndex('events_offer_type').on('events').columns(['offer_id', 'type', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'events',
    'oauth_states',
    'claim_keys',
    'coupons',
    'claim_counts',
    'users',
    'offer_stores',
    'offers',
    'stores',
    'merchants',
  ])
    await db.schema.dropTable(t).execute()
}
