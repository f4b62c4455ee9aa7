import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // access_token and tickets, shared by every server process; the lock column makes refresh single-flight.
  await db.schema
    .createTable('wx_credentials')
    .addColumn('appid', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('value', 'text')
    .addColumn('expires_at', 'bigint', c => c.notNull().defaultTo(0))
    .addColumn('lock_until', 'bigint')
    .addColumn('failures', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('retry_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', c => c.notNull())
    .addPrimaryKeyConstraint('wx_credentials_pk', ['appid', 'kind'])
    .execute()

  // WeChat retries a push it thinks was missed; each event is handled once.
  await db.schema
    .createTable('wx_push_events')
    .addColumn('dedup_key', 'text', c => c.primaryKey())
    .addColumn('event', 'text', c => c.notNull())
    .addColumn('from_user', 'text', c => c.notNull())
    .addColumn('payload', 'text', c => c.notNull())
    .addColumn('received_at', 'bigint', c => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['wx_push_events', 'wx_credentials']) await db.schema.dropTable(t).execute()
}
