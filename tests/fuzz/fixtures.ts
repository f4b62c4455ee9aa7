/**
 * The fuzzer's server and the real things it mixes into hostile requests: the demo merchant's
 * ids, a consumer's coupons (one in the sandbox wallet), another user's coupon, a clerk, live
 * cookies, a sandbox access token, login states and an invite.
 *
 * The app is built here rather than by startTestApp because the fuzzer also watches the
 * server's error log: a 5xx the sandbox's own calls meet (its pushes to /wechat/push) is never
 * the answer to a fuzzed request, and must fail the run all the same.
 */
import { readdirSync } from 'node:fs'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { sealSession, SESSION_COOKIE } from '../../src/server/auth/session.ts'
import { buildApp } from '../../src/server/app.ts'
import { type Config, loadConfig } from '../../src/server/config.ts'
import { withSandboxSecrets } from '../../src/server/sandbox/secrets.ts'
import { demo, seedDemo, seedDemoOwner } from '../../src/server/db/seed.ts'
import { createSandboxCard, createSandboxOwner, DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { SANDBOX_USER_COOKIE } from '../../src/server/sandbox/users.ts'
import { freePort, testClock } from '../helpers/app.ts'
import { clerkPhone, inviteUrl } from '../helpers/clerk.ts'
import { consolePhone } from '../helpers/console.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet } from '../helpers/wallet.ts'

export interface ErrorLine {
  msg: string
  err?: string
}

export interface FuzzApp {
  app: FastifyInstance
  config: Config
  database: TestDatabase
  clock: ReturnType<typeof testClock>
  url: string
  /** Error-level lines the server logged (a 5xx and why), drained by the fuzzer. */
  errors: ErrorLine[]
  close: () => Promise<void>
}

export async function startFuzzApp(): Promise<FuzzApp> {
  const port = await freePort()
  const database = await createTestDatabase()
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
  }
  const config = await withSandboxSecrets(loadConfig(env), database.db)
  const clock = testClock()
  await seedDemo(database.db, clock.now(), { wxCardId: await createSandboxCard(database.db, clock.now()) })
  await seedDemoOwner(database.db, await createSandboxOwner(database.db, clock.now()), clock.now())
  const errors: ErrorLine[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        try {
          const j = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } }
          if (j.level >= 50) errors.push({ msg: j.msg ?? '', err: j.err?.message })
        } catch {
          errors.push({ msg: line })
        }
      }
      done()
    },
  })
  const app = await buildApp({
    config,
    db: database.db,
    engine: database.engine,
    clock,
    logger: { level: 'error', stream },
    outboxIntervalMs: 0,
  })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    app,
    config,
    database,
    clock,
    url: config.publicUrl,
    errors,
    close: async () => {
      await app.close()
      await database.drop()
    },
  }
}

export interface Fixtures {
  appId: string
  appSecret: string
  pushToken: string
  aesKey: string
  adminToken: string
  publicUrl: string
  merchantId: string
  stores: string[]
  offers: string[]
  couponIds: string[]
  foreignCouponIds: string[]
  codes: string[]
  walletCodes: string[]
  encryptCodes: string[]
  cardId: string
  cardExts: string[]
  openids: string[]
  clerkIds: string[]
  /** The demo café's members (its owner). */
  memberIds: string[]
  invites: string[]
  states: string[]
  accessToken: string
  assets: string[]
  /** Session cookies: `live` are a consumer's, a clerk's and the demo owner's; `session` adds dead and forged ones. */
  cookies: { live: string[]; session: string[]; sandboxUser: string[]; state: string[] }
}

const TAMPER = (s: string) => s.slice(0, -2) + (s.endsWith('AA') ? 'BB' : 'AA')

async function claim(phone: Phone, offer: string) {
  const res = await phone.post(`/api/offers/${offer}/claim`, { ch: 'share' }, { 'idempotency-key': newKey() })
  if (!res.json?.coupon) throw new Error(`fixture claim failed: ${res.status} ${res.body.slice(0, 200)}`)
  return res.json.coupon as { id: string; code: string }
}

export async function makeFixtures(f: FuzzApp): Promise<Fixtures> {
  const consumer = new Phone(f.url)
  await consumer.login()
  const coupons = [await claim(consumer, demo.offers.cash), await claim(consumer, demo.offers.discount)]
  coupons.push(await claim(consumer, demo.offers.gift))
  const { cardExt } = (await consumer.get(`/api/coupons/${coupons[0]!.id}/card-ext`)).json
  const added = await addToSandboxWallet(consumer, DEMO_CARD_ID, cardExt)
  if (!added.ok) throw new Error(`fixture wallet add failed: ${added.reason}`)
  await consumer.post(`/api/coupons/${coupons[0]!.id}/wallet`, { encryptCode: added.list[0]!.code })
  const me = (await consumer.get('/api/me')).json.user as { openid: string }

  const other = new Phone(f.url)
  await other.login()
  const foreign = await claim(other, demo.offers.cash)
  const otherCardExt = (await other.get(`/api/coupons/${foreign.id}/card-ext`)).json.cardExt as string

  const clerk = await clerkPhone(f, demo.stores.nanjing)
  const admin = { authorization: `Bearer ${f.config.adminToken}` }
  const clerks = (await fetch(`${f.url}/api/admin/stores/${demo.stores.nanjing}/clerks`, { headers: admin }).then(r =>
    r.json(),
  )) as { clerks: { id: string }[] }
  const invite = new URL(await inviteUrl(f, demo.stores.jingan)).searchParams.get('invite')!
  const owner = await consolePhone(f)
  const members = (await owner.get(`/api/console/merchants/${demo.merchantId}/members`)).json.members as {
    id: string
  }[]

  const states: string[] = []
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${f.url}/auth/wechat/login?return=/`, { redirect: 'manual' })
    const state = new URL(res.headers.get('location')!.split('#')[0]!).searchParams.get('state')
    if (state) states.push(state)
  }
  const tokenRes = await fetch(`${f.url}/__wx/api/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: f.config.wx.appId, secret: f.config.wx.appSecret }),
  })
  const accessToken = ((await tokenRes.json()) as { access_token: string }).access_token

  const sid = consumer.cookies.get(SESSION_COOKIE)!
  const clerkSid = clerk.cookies.get(SESSION_COOKIE)!
  const wxsb = consumer.cookies.get(SANDBOX_USER_COOKIE)!
  const uid = JSON.parse(Buffer.from(sid.split('.')[0]!, 'base64url').toString()).uid as string
  const secret = f.config.sessionSecret
  const payloadOf = (who: string) => ({
    uid: who,
    sid: 'fuzz-session',
    iat: f.clock.now(),
    oid: me.openid,
    snap: 0 as const,
  })
  return {
    appId: f.config.wx.appId,
    appSecret: f.config.wx.appSecret,
    pushToken: f.config.wx.token,
    aesKey: f.config.wx.aesKey,
    adminToken: f.config.adminToken!,
    publicUrl: f.url,
    merchantId: demo.merchantId,
    stores: Object.values(demo.stores),
    offers: Object.values(demo.offers),
    couponIds: coupons.map(c => c.id),
    foreignCouponIds: [foreign.id],
    codes: [...coupons.map(c => c.code), foreign.code],
    walletCodes: [coupons[0]!.code],
    encryptCodes: [added.list[0]!.code],
    cardId: DEMO_CARD_ID,
    cardExts: [cardExt, otherCardExt],
    openids: [me.openid],
    clerkIds: clerks.clerks.map(c => c.id),
    memberIds: members.map(m => m.id),
    invites: [invite],
    states,
    accessToken,
    assets: readdirSync(`${f.config.distDir}/client/assets`).slice(0, 6),
    cookies: {
      live: [sid, clerkSid, owner.cookies.get(SESSION_COOKIE)!],
      session: [
        sid,
        clerkSid,
        // Expired, forged (payload of a real user, wrong MAC), and a stranger's.
        sealSession({ ...payloadOf(uid), exp: f.clock.now() - 60 }, secret),
        sealSession({ ...payloadOf(uid), exp: f.clock.now() + 3600 }, 'x'.repeat(48)),
        TAMPER(sid),
        sealSession({ ...payloadOf('no-such-user'), exp: f.clock.now() + 3600 }, secret),
        // The shape of a session cookie from before sessions had ids: signed, but no longer accepted.
        sealSession({ uid, exp: f.clock.now() + 3600 } as never, secret),
        'garbage',
        '.',
        'x'.repeat(600),
      ],
      sandboxUser: [wxsb, `${me.openid}.forgedsignature0000000`, TAMPER(wxsb), 'o.', '..', 'x'.repeat(300)],
      state: [...states, 'garbage'],
    },
  }
}
