import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // One number every process reads to know whether its in-memory catalog is still right: every
  // change to offers, stores or merchants bumps it in its own transaction (offers/catalog.ts).
  await db.schema
    .createTable('catalog_version')
    .addColumn('id', 'integer', c => c.primaryKey())
    .addColumn('version', 'integer', c => c.notNull())
    .execute()
  await db.insertInto('catalog_version').values({ id: 1, version: 1 }).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalog_version').execute()
}
