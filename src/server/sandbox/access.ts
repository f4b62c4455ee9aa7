/** WeChat's error JSON, its argument parsing and its access_token check, shared by every sandbox API route. */
import { z } from 'zod'
import type { Deps } from '../deps.ts'
import { randomToken } from '../random.ts'
import { sandboxDb } from './schema.ts'

/** A superseded /cgi-bin/token token keeps working this long, as on WeChat. */
export const GRACE = 300

export function wxErr(errcode: number, errmsg: string) {
  return { errcode, errmsg: `${errmsg} rid: sandbox-${randomToken(8)}` }
}

/** One text argument of an API call. */
export const wxText = z.string().max(512)

/**
 * Reads an API call's query or body. WeChat answers malformed arguments (a repeated one, a
 * number where text belongs) with its own JSON and HTTP 200, so a mismatch is `null` and the
 * route answers invalidArgs().
 */
export function wxArgs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | null {
  const result = schema.safeParse(value ?? {})
  return result.success ? result.data : null
}

export const invalidArgs = () => wxErr(40097, 'invalid args')

/** Resolves the token an API call carries: valid, or the WeChat error it earns. */
export async function checkAccessToken(deps: Deps, token: string | undefined) {
  const now = deps.clock.now()
  const row = token
    ? await sandboxDb(deps.db).selectFrom('sandbox_tokens').selectAll().where('token', '=', token).executeTakeFirst()
    : undefined
  if (!row || row.appid !== deps.config.wx.appId)
    return wxErr(40001, 'invalid credential, access_token is invalid or not latest')
  if (row.expires_at <= now) return wxErr(42001, 'access_token expired')
  if (row.superseded_at !== null && row.superseded_at + GRACE <= now)
    return wxErr(40001, 'invalid credential, access_token is invalid or not latest')
  return null
}
