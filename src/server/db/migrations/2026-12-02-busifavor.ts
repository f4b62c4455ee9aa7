import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // An offer's wallet home is a legacy card or a 商家券 stock, never both: the same code can't live
  // in two wallet entries. The check names both columns, which SQLite and PostgreSQL both accept
  // on an added column.
  await db.schema
    .alterTable('offers')
    .addColumn('wx_stock_id', 'text', c => c.check(sql`wx_stock_id is null or wx_card_id is null`))
    .execute()
  // The out_request_no of each coupon's latest signed 商家券 cardExt: WeChat Pay's send_request_no
  // must equal it before the page's wallet report is believed.
  await db.schema
    .createTable('busifavor_sends')
    .addColumn('coupon_id', 'text', c => c.primaryKey())
    .addColumn('out_request_no', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()

  // WeChat Pay's callbacks already handled, by notification id: its retries repeat the id.
  await db.schema
    .createTable('wxpay_notifications')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('event_type', 'text', c => c.notNull())
    .addColumn('resource', 'text', c => c.notNull())
    .addColumn('received_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('offers_wx_stock').on('offers').column('wx_stock_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('offers_wx_stock').execute()
  await db.schema.dropTable('wxpay_notifications').execute()
  await db.schema.dropTable('busifavor_sends').execute()
  await db.schema.alterTable('offers').dropColumn('wx_stock_id').execute()
}
