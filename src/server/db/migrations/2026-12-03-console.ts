import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // An offer's lifecycle (draft → live ⇄ paused → ended) and the version every console save bumps.
  // Offers made before the console were all claimable: they start live. updated_at has a default so
  // rows written without it (older code, tests) stay valid; existing rows take their creation time.
  await db.schema
    .alterTable('offers')
    .addColumn('status', 'text', c =>
      c.notNull().defaultTo('live').check(sql`status in ('draft', 'live', 'paused', 'ended')`),
    )
    .execute()
  await db.schema
    .alterTable('offers')
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('offers')
    .addColumn('updated_at', 'bigint', c => c.notNull().defaultTo(0))
    .execute()
  await db.updateTable('offers').set({ updated_at: sql`created_at` }).execute()

  // Who works for a merchant: one row per person and merchant.
  await db.schema
    .createTable('merchant_members')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull().references('merchants.id'))
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('role', 'text', c => c.notNull().check(sql`role in ('owner', 'manager')`))
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('merchant_members_merchant_user')
    .on('merchant_members')
    .columns(['merchant_id', 'user_id'])
    .unique()
    .execute()
  await db.schema.createIndex('merchant_members_user').on('merchant_members').column('user_id').execute()

  // Single-use links that make their opener a member; only the token's hash is kept.
  await db.schema
    .createTable('member_invites')
    .addColumn('token_hash', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull().references('merchants.id'))
    .addColumn('role', 'text', c => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by', 'text')
    .execute()

  // Scan-to-log-in tickets: the scan token's and the desktop cookie's hashes, never the secrets.
  await db.schema
    .createTable('login_tickets')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('token_hash', 'text', c => c.notNull().unique())
    .addColumn('binding_hash', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('browser', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .addColumn('expires_at', 'bigint', c => c.notNull())
    .addColumn('updated_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('login_tickets_expiry').on('login_tickets').column('expires_at').execute()

  // Every console write: who, what, when, and the before/after of the fields it changed (JSON).
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', c => c.notNull())
    .addColumn('target_type', 'text', c => c.notNull())
    .addColumn('target_id', 'text', c => c.notNull())
    .addColumn('target_label', 'text', c => c.notNull())
    .addColumn('changes', 'text', c => c.notNull())
    .addColumn('created_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('audit_log_merchant_time')
    .on('audit_log')
    .columns(['merchant_id', 'created_at', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute()
  await db.schema.dropTable('login_tickets').execute()
  await db.schema.dropTable('member_invites').execute()
  await db.schema.dropTable('merchant_members').execute()
  await db.schema.alterTable('offers').dropColumn('updated_at').execute()
  await db.schema.alterTable('offers').dropColumn('version').execute()
  await db.schema.alterTable('offers').dropColumn('status').execute()
}
