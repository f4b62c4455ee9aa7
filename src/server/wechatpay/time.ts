/**
 * WeChat Pay's times are RFC 3339 with a zone (`2015-05-20T13:29:35+08:00`); Kaquan's are epoch
 * seconds. China has one zone and no daylight saving, so Kaquan writes +08:00 as WeChat Pay's examples do.
 */
export { rfc3339China } from '../../shared/time.ts'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** Epoch seconds, or null for anything that is not an RFC 3339 time with a zone. */
export function epochOf(rfc3339: string): number | null {
  if (!RFC3339.test(rfc3339)) return null
  const ms = Date.parse(rfc3339)
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000)
}
