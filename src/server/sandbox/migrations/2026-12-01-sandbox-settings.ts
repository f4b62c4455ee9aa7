import type { Kysely } from 'kysely'

/** Values the sandbox makes once per database and keeps: its session secret, later its WeChat Pay keys. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sandbox_settings')
    .addColumn('key', 'text', c => c.primaryKey())
    .addColumn('value', 'text', c => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sandbox_settings').execute()
}
