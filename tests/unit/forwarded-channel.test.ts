import { describe, expect, it } from 'vitest'
import { forwardedChannel } from '../../src/shared/channels.ts'

describe('the channel a forwarded offer link carries', () => {
  it.each([
    ['a merchant’s channel', 'k3x9q2', 'k3x9q2'],
    ['a chat share', 'share', 'share'],
    ['a store’s own QR code', 'qr', 'share'],
    ['the offer list', 'list', 'share'],
    ['a direct visit', 'direct', 'share'],
    ['no ch= at all', undefined, 'share'],
  ])('forwards a link that came by %s with ch=%s', (_, arrived, forwarded) => {
    expect(forwardedChannel(arrived)).toBe(forwarded)
  })
})
