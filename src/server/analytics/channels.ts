/**
 * Which channel a visit is attributed to. Only known channels are recorded: anything a link
 * makes up counts as `direct`, so a flood of invented `ch=` values can't fill the funnel with
 * noise. Until merchants define channels of their own, the known ones are the fixed ways in.
 */
export const FIXED_CHANNELS = ['direct', 'share', 'qr', 'list'] as const

export function knownChannel(ch: string | undefined | null): string {
  return ch && (FIXED_CHANNELS as readonly string[]).includes(ch) ? ch : 'direct'
}
