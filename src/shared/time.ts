/**
 * Time, in one place. Kaquan counts in epoch seconds and answers in ISO 8601; merchants and
 * consumers live on China time. China has one time zone and no daylight saving: UTC+8 all year,
 * so a "China day" is a fixed 86,400-second span starting at 16:00 UTC the day before.
 */
export const CHINA_OFFSET = 8 * 3600
export const DAY = 86_400

/** Epoch seconds as an API time. */
export function isoOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString()
}

/** An API time (ISO 8601) as epoch seconds. */
export function epochOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000)
}

/** The calendar fields of a moment on China time. */
export function chinaDate(epochSeconds: number) {
  const d = new Date((epochSeconds + CHINA_OFFSET) * 1000)
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    min: d.getUTCMinutes(),
  }
}

/** The start of the China day a moment falls in. */
export function chinaDayStart(epochSeconds: number): number {
  return Math.floor((epochSeconds + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET
}

/** The China day a moment falls in, as YYYY-MM-DD. */
export function chinaDay(epochSeconds: number): string {
  return new Date(chinaDayStart(epochSeconds) * 1000 + CHINA_OFFSET * 1000).toISOString().slice(0, 10)
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** The start of a China day given as YYYY-MM-DD; null when it is not a real date. */
export function chinaDayStartOf(day: string): number | null {
  const m = DAY_PATTERN.exec(day)
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const back = new Date(ms)
  if (
    back.getUTCFullYear() !== Number(m[1]) ||
    back.getUTCMonth() + 1 !== Number(m[2]) ||
    back.getUTCDate() !== Number(m[3])
  )
    return null
  return ms / 1000 - CHINA_OFFSET
}

/** A moment as RFC 3339 on China time (`2015-05-20T13:29:35+08:00`), as WeChat Pay writes times. */
export function rfc3339China(epochSeconds: number): string {
  return `${isoOf(Math.floor(epochSeconds) + CHINA_OFFSET).slice(0, 19)}+08:00`
}
