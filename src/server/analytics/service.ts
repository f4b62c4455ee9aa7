/** The console's funnel: the query's filters checked against the merchant, then the aggregates, channels by name. */
import type { FunnelQuery, FunnelResponse } from '../../shared/api/analytics.ts'
import { isFixedChannel } from '../../shared/channels.ts'
import { channelLabels, isChannelOf } from '../channels/lookup.ts'
import type { Db } from '../db/index.ts'
import { notFound } from '../http/errors.ts'
import { offerRowOf } from '../offers/console-read.ts'
import { storeRowOf } from '../stores/service.ts'
import { funnel } from './funnel.ts'

export async function merchantFunnel(db: Db, merchantId: string, q: FunnelQuery): Promise<FunnelResponse> {
  if (q.offerId) await offerRowOf(db, merchantId, q.offerId)
  if (q.storeId) await storeRowOf(db, merchantId, q.storeId)
  if (q.channel && !isFixedChannel(q.channel) && !(await isChannelOf(db, merchantId, q.channel)))
    throw notFound('channel')
  return funnel(db, merchantId, q, channelLabels)
}
