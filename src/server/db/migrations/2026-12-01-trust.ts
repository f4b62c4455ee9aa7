import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Counters behind limits that protect money (wrong-code guesses at the counter): one row per key
  // and fixed window, bumped by one atomic upsert, so they hold across processes.
  await db.schema
    .createTable('limit_counters')
    .addColumn('key', 'text', c => c.notNull())
    .addColumn('window_start', 'bigint', c => c.notNull())
    .addColumn('hits', 'integer', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .addPrimaryKeyConstraint('limit_counters_pk', ['key', 'window_start'])
    .execute()
  await db.schema.createIndex('limit_counters_expiry').on('limit_counters').column('expires_at').execute()

  // A login started without a surviving cookie is bound to the browser that started it.
  await db.schema.alterTable('oauth_states').addColumn('browser', 'text').execute()

  // Ended sessions: one session (logout), or every session of a user issued before a moment.
  await db.schema
    .createTable('session_revocations')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('user_id', 'text', c => c.notNull())
    .addColumn('sid', 'text')
    .addColumn('issued_before', 'bigint')
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('session_revocations_created').on('session_revocations').column('created_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_revocations').execute()
  await db.schema.alterTable('oauth_states').dropColumn('browser').execute()
  await db.schema.dropTable('limit_counters').execute()
}
