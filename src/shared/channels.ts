/**
 * Channel codes both sides read: the fixed ways in, and the channel a forwarded link carries. No
 * zod here: the consumer's landing imports this, and its bundle is budgeted in bytes.
 */
/**
 * The fixed ways in, known for every merchant: direct (no or an unknown ch=), share (a link
 * forwarded in a chat), qr (a store's own QR code), list (the offer list). A merchant's channels
 * get codes of their own, never one of these.
 */
export const fixedChannels = ['direct', 'share', 'qr', 'list'] as const
export type FixedChannel = (typeof fixedChannels)[number]

export function isFixedChannel(ch: string): ch is FixedChannel {
  return (fixedChannels as readonly string[]).includes(ch)
}

/**
 * The ch= of a link a consumer forwards from an offer page: the merchant's channel that brought
 * them (so a placement is credited with the friends it reaches as well; the forwarder stays the
 * link's ref, so the sharer dimension still says who brought whom), else `share`.
 */
export function forwardedChannel(arrivedWith: string | undefined): string {
  return arrivedWith && !isFixedChannel(arrivedWith) ? arrivedWith : 'share'
}
