/**
 * Secrets the sandbox makes for itself, once per database, instead of published constants: a
 * session secret anyone could read in the source would let anyone on the network forge a login.
 */
import { randomBytes } from 'node:crypto'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import { sandboxDb } from './schema.ts'

/** The stored value of `key`, made by `make` the first time. Several processes starting at once agree on one. */
export async function sandboxSetting(db: Db, key: string, make: () => string): Promise<string> {
  const sdb = sandboxDb(db)
  await sdb
    .insertInto('sandbox_settings')
    .values({ key, value: make() })
    .onConflict(oc => oc.column('key').doNothing())
    .execute()
  const row = await sdb.selectFrom('sandbox_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()
  return row.value
}

/** The config with the sandbox's own session secret filled in, unless SESSION_SECRET was given. */
export async function withSandboxSecrets(config: Config, db: Db): Promise<Config> {
  if (!config.sandbox || config.sessionSecret) return config
  const sessionSecret = await sandboxSetting(db, 'session_secret', () => randomBytes(32).toString('base64url'))
  return { ...config, sessionSecret }
}
