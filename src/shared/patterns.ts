/** The shapes of ids and link parameters, as plain patterns so the web app can check them without zod. */
export const patterns = {
  id: /^[A-Za-z0-9_-]{1,64}$/,
  channel: /^[a-z0-9_]{1,32}$/,
  ref: /^[A-Za-z0-9_-]{1,64}$/,
} as const
