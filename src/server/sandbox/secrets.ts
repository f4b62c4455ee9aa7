/**
 * Secrets the sandbox makes for itself, once per database, instead of published constants: a
 * session secret anyone could read in the source would let anyone on the network forge a login.
 */
import { randomBytes } from 'node:crypto'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import { sandboxDb } from './schema.ts'
import { sandboxWxPayConfig, sandboxWxPayKeys } from './wxpay/keys.ts'

/**
 * The stored values of these keys, each made by its maker the first time, in one read when all are
 * there. Read first, because some values (RSA keys) are slow to make; several processes starting at
 * once still agree on the first one stored of each.
 */
export async function sandboxSettings<K extends string>(
  db: Db,
  makers: Record<K, () => string>,
): Promise<Record<K, string>> {
  const sdb = sandboxDb(db)
  const keys = Object.keys(makers) as K[]
  const read = async () =>
    new Map(
      (await sdb.selectFrom('sandbox_settings').select(['key', 'value']).where('key', 'in', keys).execute()).map(r => [
        r.key,
        r.value,
      ]),
    )
  let stored = await read()
  const missing = keys.filter(k => !stored.has(k))
  if (missing.length) {
    await sdb
      .insertInto('sandbox_settings')
      .values(missing.map(key => ({ key, value: makers[key]() })))
      .onConflict(oc => oc.column('key').doNothing())
      .execute()
    stored = await read()
  }
  return Object.fromEntries(keys.map(k => [k, stored.get(k)!])) as Record<K, string>
}

/** One stored value, as sandboxSettings. */
export async function sandboxSetting(db: Db, key: string, make: () => string): Promise<string> {
  return (await sandboxSettings(db, { [key]: make }))[key]!
}

/**
 * The config with the sandbox's own secrets filled in: the session secret unless SESSION_SECRET was
 * given, and WeChat Pay (its own merchant, keys and `$PUBLIC_URL/__wxpay`).
 */
export async function withSandboxSecrets(config: Config, db: Db): Promise<Config> {
  if (!config.sandbox) return config
  const sessionSecret =
    config.sessionSecret || (await sandboxSetting(db, 'session_secret', () => randomBytes(32).toString('base64url')))
  const wxpay =
    config.wxpay ??
    sandboxWxPayConfig(await sandboxWxPayKeys(db), { appId: config.wx.appId, publicUrl: config.publicUrl })
  return { ...config, sessionSecret, wxpay }
}
