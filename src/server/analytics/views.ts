/**
 * Recording a view: the one service both paths use (a landing page rendered on the server, and
 * a view inside the app), written in batches by the ViewBuffer. Views cost a row each, so each
 * client (its user, else its address) is limited per minute; past that the page is still served,
 * the view just isn't counted again.
 */
import type { Attribution } from '../../shared/api/common.ts'
import type { Deps } from '../deps.ts'
import { sweepViewMarks } from './events.ts'

export interface ViewTarget {
  merchantId: string
  offerId?: string | null
  /** The store whose page was viewed; otherwise the link's `store=`, when it is this merchant's. */
  storeId?: string | null
}

/** Views one client may add per minute. */
export const VIEWS_PER_MINUTE = 30

export async function recordView(
  deps: Deps,
  target: ViewTarget,
  a: Attribution,
  viewer: { userId: string | null; ip: string; visitor: string },
): Promise<boolean> {
  if (!deps.limits.views.allow(viewer.userId ? `u:${viewer.userId}` : `ip:${viewer.ip}`)) return false
  const linked = a.store ? (await deps.catalog.read()).stores.get(a.store) : undefined
  const storeId = target.storeId ?? (linked?.merchant_id === target.merchantId ? linked.id : null)
  await deps.views.add({
    event: {
      type: 'view',
      merchant_id: target.merchantId,
      offer_id: target.offerId ?? null,
      user_id: viewer.userId,
      store_id: storeId,
      channel: deps.channels.known(target.merchantId, a.ch),
      ref: a.ref ?? null,
    },
    at: deps.clock.now(),
    viewer: viewer.visitor,
  })
  return true
}

/** Drops view marks that can no longer match (older than yesterday), every `intervalMs`; returns the stop. */
export function sweepViewMarksEvery(deps: Deps, intervalMs: number): () => void {
  const timer = setInterval(() => void sweepViewMarks(deps.db, deps.clock.now()).catch(() => {}), intervalMs)
  timer.unref?.()
  return () => clearInterval(timer)
}
