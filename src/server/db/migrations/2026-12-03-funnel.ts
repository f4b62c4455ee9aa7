import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The funnel by China day, kept up to date in the transaction that records each event, so a
  // merchant's funnel reads a few thousand rows however many millions of events there are.
  // Empty strings, not nulls, for "none": they are part of the key on both engines.
  await db.schema
    .createTable('funnel_daily')
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('day', 'text', c => c.notNull())
    .addColumn('offer_id', 'text', c => c.notNull())
    .addColumn('channel', 'text', c => c.notNull())
    .addColumn('store_id', 'text', c => c.notNull())
    .addColumn('ref', 'text', c => c.notNull())
    .addColumn('views', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('claims', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('wallet_adds', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('redemptions', 'integer', c => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('funnel_daily_pk', ['merchant_id', 'day', 'offer_id', 'channel', 'store_id', 'ref'])
    .execute()

  // Who already counted as a viewer of what today: a view is counted once per viewer, day and
  // (offer, channel, store, sharer). Only today's and yesterday's marks matter; older ones are swept.
  await db.schema
    .createTable('view_marks')
    .addColumn('day', 'text', c => c.notNull())
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('target', 'text', c => c.notNull())
    .addColumn('viewer', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('view_marks_pk', ['day', 'merchant_id', 'target', 'viewer'])
    .execute()
  // Who viewed (a visitor cookie): lets the aggregates be rebuilt from events exactly.
  await db.schema.alterTable('events').addColumn('viewer', 'text').execute()
  await db.schema.createIndex('events_merchant_created').on('events').columns(['merchant_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_merchant_created').execute()
  await db.schema.alterTable('events').dropColumn('viewer').execute()
  await db.schema.dropTable('view_marks').execute()
  await db.schema.dropTable('funnel_daily').execute()
}
