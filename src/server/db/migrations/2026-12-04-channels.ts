import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A merchant's named ways in (a chat share link, a store's QR poster): `code` rides along as ch=.
  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull().references('merchants.id'))
    .addColumn('code', 'text', c => c.notNull().unique())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('offer_id', 'text')
    .addColumn('store_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('channels_merchant').on('channels').columns(['merchant_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channels').execute()
}
