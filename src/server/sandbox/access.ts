/** WeChat's error JSON and its access_token check, shared by every sandbox API route. */
import type { Deps } from '../deps.ts'
import { randomToken } from '../random.ts'
import { sandboxDb } from './schema.ts'

/** A superseded /cgi-bin/token token keeps working this long, as on WeChat. */
export const GRACE = 300

export function wxErr(errcode: number, errmsg: string) {
  return { errcode, errmsg: `${errmsg} rid: sandbox-${randomToken(8)}` }
}

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
