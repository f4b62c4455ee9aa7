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
 * The stored value of `key`, made by `make` the first time. Read first, because some values (RSA
 * keys) are slow to make; several processes starting at once still agree on the first one stored.
 */
export async function sandboxSetting(db: Db, key: string, make: () => string): Promise<string> {
  const sdb = sandboxDb(db)
  const read = () => sdb.selectFrom('sandbox_settings').select('value').where('key', '=', key).executeTakeFirst()
  const stored = await read()
  if (stored) return stored.value
  await sdb
    .insertInto('sandbox_settings')
    .values({ key, value: make() })
    .onConflict(oc => oc.column('key').doNothing())
    .execute()
  return (await read())!.value
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
