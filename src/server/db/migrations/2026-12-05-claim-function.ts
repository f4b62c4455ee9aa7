import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * On PostgreSQL a claim is one round trip: this function makes the claim's writes in one call
 * (db/claim.ts), with the same conditions as SQLite's statements there. SQLite has no server to
 * save round trips to, so nothing to create on it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
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
  on conflict (merchant_id, day, offer_id, channel, store_id, ref) do update set claims = funnel_daily.claims + 1;

  return query select 'created'::text, p_coupon, vf, vt, n;
end
$fn$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`drop function if exists kaquan_claim(text, text, text, text, text, bigint, text, text, text, text, text)`.execute(
    db,
  )
}
