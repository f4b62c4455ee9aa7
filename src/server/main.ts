/** Reads config, opens and migrates the database, seeds the demo, listens, prints where to go. */
import { buildApp } from './app.ts'
import { clerkInviteUrl, createInvite } from './clerks/service.ts'
import { systemClock } from './clock.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { type OpenDatabase, openDatabase } from './db/index.ts'
import { migrateToLatest } from './db/migrate.ts'
import { demo, seedDemo, seedDemoOwner, seedIsNeeded } from './db/seed.ts'
import { migrateSandbox } from './sandbox/migrate.ts'
import { withSandboxSecrets } from './sandbox/secrets.ts'
import { createSandboxCard, createSandboxOwner, createSandboxStock } from './sandbox/seed.ts'
import { Credentials } from './wechat/credentials.ts'
import { checkCredentials } from './wechat/diagnose.ts'
import { WxPayClient } from './wechatpay/client.ts'
import { registerNotifyUrl } from './wechatpay/setup.ts'

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  let opened: OpenDatabase
  try {
    opened = openDatabase(config.databaseUrl)
    await migrateToLatest(opened.db)
    if (config.sandbox) await migrateSandbox(opened.db)
  } catch (err) {
    console.error(
      `Cannot use the database at DATABASE_URL=${withoutPassword(config.databaseUrl)}: ${(err as Error).message}`,
    )
    process.exit(1)
  }
  const { db, engine, close } = opened
  config = await withSandboxSecrets(config, db)
  if (config.seedDemo && (await seedIsNeeded(db))) {
    const wxCardId = config.sandbox ? await createSandboxCard(db, systemClock.now()) : null
    const wxStockId = config.sandbox ? await createSandboxStock(db, config, systemClock.now()) : null
    await seedDemo(db, systemClock.now(), { wxCardId, wxStockId })
  }
  // The demo café's owner is a sandbox persona, so the console can be tried with the sandbox's WeChat.
  if (config.sandbox && config.seedDemo)
    await seedDemoOwner(db, await createSandboxOwner(db, systemClock.now()), systemClock.now())

  const app = await buildApp({
    config,
    db,
    engine,
    logger: { level: config.accessLog && config.logLevel === 'warn' ? 'info' : config.logLevel },
  })
  await app.listen({ port: config.port, host: config.host })

  const u = config.publicUrl
  const lines = [
    '',
    `Kaquan is running at ${u} (${engine}${config.sandbox ? ', WeChat sandbox' : `, WeChat app ${config.wx.appId}`})`,
  ]
  if (config.seedDemo) {
    lines.push(
      `  Offer link as shared in a chat:  ${u}/o/${demo.offers.cash}?ch=share&ref=demo`,
      `  商家券 offer (WeChat Pay):        ${u}/o/${demo.offers.busifavor}?ch=share&ref=demo`,
      `  Store QR code link:              ${u}/s/${demo.stores.nanjing}?ch=qr`,
    )
  }
  // In the sandbox the login page's 用沙箱微信扫码 signs in as the demo café's owner, 老王.
  lines.push(
    `  Merchant console:                ${u}/console/login${config.sandbox && config.seedDemo ? '  (用沙箱微信扫码 → 老王（店长）, the demo café’s owner)' : ''}`,
  )
  if (config.sandboxPublic)
    lines.push(
      '',
      '  !!! SANDBOX_PUBLIC=1: this WeChat sandbox listens on a network address. Anyone who can reach it',
      '  !!! can become any sandbox WeChat user at /__wx/personas. Never do this with real customers.',
      '',
    )
  if (config.sandbox) {
    lines.push(`  Sandbox personas (switch user): ${u}/__wx/personas`)
    if (config.seedDemo) {
      const invite = await createInvite(db, demo.stores.nanjing, 7 * 86_400, systemClock.now())
      lines.push(`  Clerk invite for 南京西路店:      ${clerkInviteUrl(u, invite.token)}`)
    }
    lines.push(`  ADMIN_TOKEN (this run):          ${config.adminToken}`)
  }
  console.log(`${lines.join('\n')}\n`)

  if (!config.sandbox) {
    const problems = await checkCredentials(new Credentials(db, systemClock, config.wx))
    if (problems.length)
      console.error(
        `WeChat is not working yet; the site stays up, but login and the JS-SDK will fail:\n  ${problems.join('\n  ')}\nSee README.md → Going live.\n`,
      )
    else console.log('WeChat credentials check: access_token, jsapi ticket and wx_card ticket all fetched.\n')
  }

  // COUPON.SEND goes to the URL set through WeChat Pay's callbacks API: set it to ours at start.
  if (config.wxpay) console.log(`WeChat Pay (商家券): ${await registerNotifyUrl(new WxPayClient(config.wxpay))}\n`)
  else
    console.log(
      'WeChat Pay (商家券) is off: WXPAY_MCHID and the other WXPAY_ variables are not set, so offers can link only legacy WeChat cards (wx_card_id). See README.md → Going live.\n',
    )

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    await app.close()
    await close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

void main()

/** A database URL fit for a log line: a password in it is replaced. */
function withoutPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@')
}
