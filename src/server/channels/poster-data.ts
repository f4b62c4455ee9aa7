/** What a channel's poster shows, gathered from the merchant's own rows; and the file name it downloads as. */
import type { Db } from '../db/index.ts'
import type { ChannelsTable } from '../db/schema.ts'
import { offerRowOf } from '../offers/console-read.ts'
import type { PosterInput, PosterSize } from './poster.ts'

export async function posterInputOf(
  db: Db,
  merchantId: string,
  channel: ChannelsTable,
  url: string,
): Promise<PosterInput> {
  const merchant = await db
    .selectFrom('merchants')
    .select('name')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  const store = channel.store_id
    ? await db
        .selectFrom('stores')
        .select(['name', 'address'])
        .where('id', '=', channel.store_id)
        .where('merchant_id', '=', merchantId)
        .executeTakeFirst()
    : undefined
  const offer = channel.offer_id ? await offerRowOf(db, merchantId, channel.offer_id) : null
  return {
    merchantName: merchant.name,
    storeName: store?.name ?? null,
    storeAddress: store?.address ?? null,
    offer: offer && {
      title: offer.title,
      kind: offer.kind,
      valueFen: offer.value_fen,
      thresholdFen: offer.threshold_fen,
      discountPercent: offer.discount_percent,
      giftName: offer.gift_name,
    },
    url,
    channelName: channel.name,
  }
}

/**
 * `attachment` with an ASCII name for old clients and the channel's own name in `filename*`
 * (RFC 6266 / RFC 5987), so the file saves as 南京西路店收银台-A5.png where browsers allow.
 */
export function posterDisposition(channel: Pick<ChannelsTable, 'code' | 'name'>, size: PosterSize, ext: 'png' | 'pdf') {
  const plain = `kaquan-poster-${channel.code}-${size}.${ext}`
  // Characters file systems refuse, and controls, become _.
  const own = `${channel.name.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')}-${size.toUpperCase()}.${ext}`
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(own)}`
}
