import type { Kysely } from 'kysely'

/** WeChat Pay's side of 商家券, as the sandbox keeps it: stocks, coupons, redemptions, the callback URL and its deliveries. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sandbox_wxpay_stocks')
    .addColumn('stock_id', 'text', c => c.primaryKey())
    .addColumn('creator_mchid', 'text', c => c.notNull())
    .addColumn('out_request_no', 'text', c => c.notNull())
    .addColumn('belong_merchant', 'text', c => c.notNull())
    .addColumn('stock_name', 'text', c => c.notNull())
    .addColumn('goods_name', 'text', c => c.notNull())
    .addColumn('stock_type', 'text', c => c.notNull())
    .addColumn('coupon_code_mode', 'text', c => c.notNull())
    .addColumn('stock_state', 'text', c => c.notNull())
    .addColumn('available_begin', 'bigint', c => c.notNull())
    .addColumn('available_end', 'bigint', c => c.notNull())
    .addColumn('days_after_receive', 'integer')
    .addColumn('max_coupons', 'bigint', c => c.notNull())
    .addColumn('max_per_user', 'integer', c => c.notNull())
    .addColumn('sent', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('notify_appid', 'text')
    .addColumn('background_color', 'text')
    // The creation request as accepted, echoed back by the stock query.
    .addColumn('request', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('sandbox_wxpay_stocks_request')
    .on('sandbox_wxpay_stocks')
    .columns(['creator_mchid', 'out_request_no'])
    .unique()
    .execute()

  // One row per coupon in a user's wallet; a MERCHANT_API code is unique within its stock.
  await db.schema
    .createTable('sandbox_wxpay_coupons')
    .addColumn('stock_id', 'text', c => c.notNull())
    .addColumn('coupon_code', 'text', c => c.notNull())
    .addColumn('openid', 'text', c => c.notNull())
    .addColumn('send_request_no', 'text', c => c.notNull())
    .addColumn('state', 'text', c => c.notNull())
    .addColumn('receive_time', 'bigint', c => c.notNull())
    .addColumn('available_start', 'bigint', c => c.notNull())
    .addColumn('expire_time', 'bigint', c => c.notNull())
    .addColumn('use_request_no', 'text')
    .addColumn('use_time', 'bigint')
    .addColumn('changed_at', 'bigint', c => c.notNull())
    .addPrimaryKeyConstraint('sandbox_wxpay_coupons_pk', ['stock_id', 'coupon_code'])
    .execute()
  await db.schema.createIndex('sandbox_wxpay_coupons_openid').on('sandbox_wxpay_coupons').column('openid').execute()

  // Redemptions by use_request_no: a replay answers what the first one did.
  await db.schema
    .createTable('sandbox_wxpay_uses')
    .addColumn('mchid', 'text', c => c.notNull())
    .addColumn('use_request_no', 'text', c => c.notNull())
    .addColumn('stock_id', 'text', c => c.notNull())
    .addColumn('coupon_code', 'text', c => c.notNull())
    .addColumn('answer', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addPrimaryKeyConstraint('sandbox_wxpay_uses_pk', ['mchid', 'use_request_no'])
    .execute()

  await db.schema
    .createTable('sandbox_wxpay_callbacks')
    .addColumn('mchid', 'text', c => c.primaryKey())
    .addColumn('notify_url', 'text', c => c.notNull())
    .addColumn('update_time', 'bigint', c => c.notNull())
    .execute()

  // COUPON.SEND notifications still to deliver: kept here so a retry survives the app closing.
  await db.schema
    .createTable('sandbox_wxpay_deliveries')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('url', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .addColumn('fault', 'text')
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('delivered', 'integer', c => c.notNull().defaultTo(0))
    // Real time in milliseconds: the schedule runs on the wall clock, not on a test's clock.
    .addColumn('next_at_ms', 'bigint', c => c.notNull())
    .addColumn('locked_until_ms', 'bigint')
    .addColumn('done_at_ms', 'bigint')
    .addColumn('last_status', 'text')
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'sandbox_wxpay_deliveries',
    'sandbox_wxpay_callbacks',
    'sandbox_wxpay_uses',
    'sandbox_wxpay_coupons',
    'sandbox_wxpay_stocks',
  ])
    await db.schema.dropTable(t).execute()
}
