/**
 * The operator's command line: the same services as /api/admin/merchants, on the database the
 * server uses (config from the environment, as npm start reads it), no HTTP and no token needed.
 *
 *   npm run admin -- create-merchant "山川咖啡"   prints the owner's invite link (single-use, 7 days)
 *   npm run admin -- list-merchants
 */
import { isoOf } from '../../shared/time.ts'
import { createMerchantBody } from '../../shared/api/admin.ts'
import { systemClock } from '../clock.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../db/index.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { memberInviteUrl } from './invites.ts'
import { createMerchant, listMerchants } from './service.ts'

const usage = 'usage: npm run admin -- create-merchant "<商户名称>" | list-merchants'

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command !== 'create-merchant' && command !== 'list-merchants') {
    console.error(usage)
    return 2
  }
  const config = loadConfig()
  const { db, close } = openDatabase(config.databaseUrl)
  try {
    await migrateToLatest(db)
    if (command === 'list-merchants') {
      for (const m of await listMerchants(db)) console.log(`${m.id}\t${m.name}\t${m.members} members\t${m.createdAt}`)
      return 0
    }
    const body = createMerchantBody.safeParse({ name: args.join(' ') })
    if (!body.success || args.length === 0) {
      console.error(body.success ? usage : `${body.error.issues[0]?.message ?? 'invalid name'}\n${usage}`)
      return 2
    }
    const { merchant, invite } = await createMerchant(db, body.data.name, systemClock.now())
    console.log(`Created merchant 「${merchant.name}」 (id ${merchant.id}).`)
    console.log(`Owner invite (single use, until ${isoOf(invite.expiresAt)}); open it in WeChat:`)
    console.log(memberInviteUrl(config.publicUrl, invite.token))
    return 0
  } finally {
    await close()
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  err => {
    console.error(err instanceof ConfigError ? err.message : err)
    process.exit(1)
  },
)
