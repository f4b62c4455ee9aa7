import { type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely'
import * as claimFunctionBefore from './2026-12-05-claim-function.ts'

/**
 * The day's funnel row of an offer at a store is the one row every redemption, wallet add and view
 * there adds to. On PostgreSQL its row lock is held from the add to the commit, a round trip later,
 * so a busy counter's redemptions queued behind one another. Each aggregate key now has several
 * slots (`slot`, part of the key); a writer adds to one of them (analytics/events.ts) and readers
 * sum over all, as they already did over days. SQLite has a single writer and keeps slot 0.
 */
const KEY = ['merchant_id', 'day', 'offer_id', 'channel', 'store_id', 'ref'] as const

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable('funnel_daily')
      .addColumn('slot', 'integer', c => c.notNull().defaultTo(0))
      .execute()
    await db.schema.alterTable('funnel_daily').dropConstraint('funnel_daily_pk').execute()
    await db.schema
      .alterTable('funnel_daily')
      .addPrimaryKeyConstraint('funnel_daily_pk', [...KEY, 'slot'])
      .execute()
    await claimFunction(db)
    return
  }
  // SQLite cannot change a primary key in place: a new table, filled from the old one.
  await funnelTable(db, 'funnel_daily_slots', true)
  await sql`insert into funnel_daily_slots (merchant_id, day, offer_id, channel, store_id, ref, slot, views, claims,
    wallet_adds, redemptions) select merchant_id, day, offer_id, channel, store_id, ref, 0, views, claims, wallet_adds,
    redemptions from funnel_daily`.execute(db)
  await db.schema.dropTable('funnel_daily').execute()
  await db.schema.alterTable('funnel_daily_slots').renameTo('funnel_daily').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one row per key: the slots of each key summed into it, in the table 2026-12-03 made.
  await sql`create table funnel_daily_one as
    select merchant_id, day, offer_id, channel, store_id, ref, sum(views) as views, sum(claims) as claims,
      sum(wallet_adds) as wallet_adds, sum(redemptions) as redemptions
    from funnel_daily group by merchant_id, day, offer_id, channel, store_id, ref`.execute(db)
  await db.schema.dropTable('funnel_daily').execute()
  await funnelTable(db, 'funnel_daily', false)
  await sql`insert into funnel_daily select * from funnel_daily_one`.execute(db)
  await db.schema.dropTable('funnel_daily_one').execute()
  // kaquan_claim as it was (PostgreSQL only), its funnel count keyed without the slot.
  await claimFunctionBefore.up(db)
}

/** The aggregate table as 2026-12-03-funnel made it, with or without the slot in its key. */
async function funnelTable(db: Kysely<any>, name: string, slotted: boolean): Promise<void> {
  let table: CreateTableBuilder<string, string> = db.schema
    .createTable(name)
    .addColumn('merchant_id', 'text', c => c.notNull())
    .addColumn('day', 'text', c => c.notNull())
    .addColumn('offer_id', 'text', c => c.notNull())
    .addColumn('channel', 'text', c => c.notNull())
    .addColumn('store_id', 'text', c => c.notNull())
    .addColumn('ref', 'text', c => c.notNull())
  if (slotted) table = table.addColumn('slot', 'integer', c => c.notNull().defaultTo(0))
  await table
    .addColumn('views', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('claims', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('wallet_adds', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('redemptions', 'integer', c => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('funnel_daily_pk', slotted ? [...KEY, 'slot'] : [...KEY])
    .execute()
}

/**
 * kaquan_claim as 2026-12-05-claim-function made it, its funnel count's conflict target with the slot:
 * ON CONFLICT must name the aggregate's key exactly. A claim counts in slot 0; it holds its offer's
 * stock row to its commit anyway, so more slots would not let claims of one offer overlap.
 */
async function claimFunction(db: Kysely<any>): Promise<void> {
  await sql`
create or replace function kaquan_claim(
  p_user text, p_key text, p_offer text, p_coupon text, p_code text, p_now bigint,
  p_channel text, p_ref text, p_store text, p_event text, p_day text
) returns table (outcome text, coupon_id text, valid_from bigint, valid_to bigint, claimed integer)
language plpgsql as $fn$
declare
  o record;
  n integer;
  vf bigint;
  vt bigint;
begin
  insert into claim_keys (user_id, key, offer_id, coupon_id, created_at)
  values (p_user, p_key, p_offer, p_coupon, p_now)
  on conflict (user_id, key) do nothing;
  if not found then
    return query select 'existing'::text, k.coupon_id, null::bigint, null::bigint, null::integer
      from claim_keys k where k.user_id = p_user and k.key = p_key and k.offer_id = p_offer;
    if not found then
      return query select 'key_reused'::text, null::text, null::bigint, null::bigint, null::integer;
    end if;
    return;
  end if;

  update offers set stock_left = stock_left - 1
  where id = p_offer and stock_left > 0 and status = 'live' and starts_at <= p_now and ends_at > p_now
  returning offers.merchant_id, offers.per_user_limit, offers.validity_type, offers.valid_from, offers.valid_to,
    offers.valid_days into o;
  if not found then raise exception 'kaquan:unavailable'; end if;

  insert into claim_counts (user_id, offer_id, claimed) values (p_user, p_offer, 1)
  on conflict (user_id, offer_id) do update set claimed = claim_counts.claimed + 1
  where claim_counts.claimed < o.per_user_limit
  returning claim_counts.claimed into n;
  if not found then raise exception 'kaquan:limit:%', o.per_user_limit; end if;

  if o.validity_type = 'relative' then
    vf := p_now;
    vt := p_now + coalesce(o.valid_days, 0) * 86400;
  else
    vf := coalesce(o.valid_from, 0);
    vt := coalesce(o.valid_to, 0);
  end if;

  insert into coupons (id, offer_id, user_id, code, claimed_at, valid_from, valid_to, channel, ref, store_id, in_wallet)
  values (p_coupon, p_offer, p_user, p_code, p_now, vf, vt, p_channel, p_ref, p_store, 0)
  on conflict (code) do nothing;
  if not found then raise exception 'kaquan:code'; end if;

  insert into events (id, type, merchant_id, offer_id, coupon_id, user_id, store_id, channel, ref, created_at)
  values (p_event, 'claim', o.merchant_id, p_offer, p_coupon, p_user, p_store, p_channel, p_ref, p_now);

  insert into funnel_daily (merchant_id, day, offer_id, channel, store_id, ref, views, claims, wallet_adds, redemptions)
  values (o.merchant_id, p_day, p_offer, p_channel, coalesce(p_store, ''), coalesce(p_ref, ''), 0, 1, 0, 0)
  on conflict (merchant_id, day, offer_id, channel, store_id, ref, slot) do update set claims = funnel_daily.claims + 1;

  return query select 'created'::text, p_coupon, vf, vt, n;
end
$fn$`.execute(db)
}
