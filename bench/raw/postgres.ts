/**
 * Baseline (b) on PostgreSQL: the claim's own writes (src/server/coupons/service.ts `claimCoupon`)
 * as one round trip, a plpgsql function the bench creates in its scratch database. The function
 * runs as one statement, so a refusal raised inside it rolls every write back.
 */
import type pg from 'pg'
import { chinaDay } from '../../src/shared/time.ts'
import { freshIds, type Outcome, type RawClaim } from './claim.ts'

export const CLAIM_FUNCTION = `
create or replace function bench_claim(
  p_user text, p_key text, p_offer text, p_coupon text, p_code text, p_event text, p_now bigint, p_channel text,
  p_day text
) returns text language plpgsql as $$
declare
  o record;
  n integer;
begin
  insert into claim_keys (user_id, key, offer_id, coupon_id, created_at)
    values (p_user, p_key, p_offer, p_coupon, p_now)
    on conflict (user_id, key) do nothing;
  get diagnostics n = row_count;
  if n = 0 then return 'repeat'; end if;
  update offers set stock_left = stock_left - 1
    where id = p_offer and stock_left > 0 and starts_at <= p_now and ends_at > p_now
    returning merchant_id, per_user_limit, validity_type, valid_from, valid_to, valid_days into o;
  if not found then raise exception 'sold_out'; end if;
  insert into claim_counts (user_id, offer_id, claimed) values (p_user, p_offer, 1)
    on conflict (user_id, offer_id) do update set claimed = claim_counts.claimed + 1
    where claim_counts.claimed < o.per_user_limit;
  get diagnostics n = row_count;
  if n = 0 then raise exception 'limit_reached'; end if;
  insert into coupons (id, offer_id, user_id, code, claimed_at, valid_from, valid_to, channel, ref, store_id, in_wallet)
    values (p_coupon, p_offer, p_user, p_code, p_now,
      case when o.validity_type = 'fixed' then o.valid_from else p_now end,
      case when o.validity_type = 'fixed' then o.valid_to else p_now + o.valid_days * 86400 end,
      p_channel, null, null, 0)
    on conflict (code) do nothing;
  get diagnostics n = row_count;
  if n = 0 then raise exception 'code_taken'; end if;
  insert into events (id, type, merchant_id, offer_id, coupon_id, user_id, store_id, channel, ref, created_at)
    values (p_event, 'claim', o.merchant_id, p_offer, p_coupon, p_user, null, p_channel, null, p_now);
  insert into funnel_daily (merchant_id, day, offer_id, channel, store_id, ref, views, claims, wallet_adds, redemptions)
    values (o.merchant_id, p_day, p_offer, p_channel, '', '', 0, 1, 0, 0)
    on conflict (merchant_id, day, offer_id, channel, store_id, ref, slot) do update set claims = funnel_daily.claims + 1;
  return 'ok';
end $$`

const REFUSALS = new Set<string>(['sold_out', 'limit_reached'])

export function pgClaimer(pool: pg.Pool): (c: RawClaim) => Promise<Outcome> {
  return async c => {
    for (let tries = 0; ; tries++) {
      const ids = freshIds()
      try {
        // A named statement: each pooled connection parses it once, then only binds and executes.
        const r = await pool.query({
          name: 'bench_claim',
          text: 'select bench_claim($1, $2, $3, $4, $5, $6, $7, $8, $9) as outcome',
          values: [c.userId, c.key, c.offerId, ids.couponId, ids.code, ids.eventId, c.now, c.channel, chinaDay(c.now)],
        })
        return r.rows[0].outcome as Outcome
      } catch (err) {
        const message = err instanceof Error ? err.message : ''
        if (REFUSALS.has(message)) return message as Outcome
        if (message !== 'code_taken' || tries > 5) throw err
      }
    }
  }
}
