import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo, seedDemo, seedDemoOwner } from '../../src/server/db/seed.ts'
import { createSandboxOwner, DEMO_OWNER } from '../../src/server/sandbox/seed.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { DESKTOP_UA, openWithWeChat } from '../helpers/console.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

const tickets = '/api/console/login-tickets'

describe('用沙箱微信扫码', () => {
  it('lists the sandbox personas, the demo owner first and marked, each continuing to the scanned link', async () => {
    await new Phone(t.url).login()
    const desktop = new Phone(t.url, DESKTOP_UA)
    const { qrUrl } = (await desktop.post(tickets)).json.ticket
    const page = await desktop.get(`/__wx/scan?url=${encodeURIComponent(qrUrl)}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('老王（店长）')
    expect(page.body).toContain('<span class="tag">店主</span>')
    const openids = [...page.body.matchAll(/name="openid" value="([^"]+)"/g)].map(m => m[1])
    expect(openids.length).toBeGreaterThanOrEqual(2)
    expect(openids[0]).toBe(DEMO_OWNER.openid)
    const scanPath = new URL(qrUrl).pathname + new URL(qrUrl).search
    expect(page.body).toContain(`name="return" value="${scanPath}"`)
  })

  it('lets one browser log itself in to the console: the desktop asks, the sandbox persona scans and confirms', async () => {
    const browser = new Phone(t.url, DESKTOP_UA)
    // Someone else was signed in on this browser before.
    await browser.login()
    const { ticket } = (await browser.post(tickets)).json
    const token = new URL(ticket.qrUrl).searchParams.get('t')!
    const switched = await browser.request('POST', '/__wx/personas/switch', {
      form: { openid: DEMO_OWNER.openid, return: `/console/scan?t=${token}` },
    })
    expect(switched.status).toBe(303)
    expect(switched.location).toBe(`/console/scan?t=${token}`)
    expect(browser.cookies.has('kq_sid')).toBe(false)
    const shell = await browser.get(switched.location!, { accept: 'text/html' })
    expect(shell.status).toBe(200)
    expect(shell.body).toContain('<html')
    const scan = await browser.post(`${tickets}/scan`, { token })
    expect(scan.status).toBe(401)
    await openWithWeChat(browser, scan.json.error.loginUrl)
    const scanned = await browser.post(`${tickets}/scan`, { token })
    expect(scanned.json.merchants).toEqual([{ id: 'shanchuan', name: '山川咖啡' }])
    expect((await browser.post(`${tickets}/confirm`, { token })).status).toBe(200)
    expect((await browser.get(`${tickets}/${ticket.id}`)).json.ticket.status).toBe('used')
    const me = await browser.get('/api/console/me')
    expect(me.json.user.nickname).toBe('老王（店长）')
    expect(me.json.memberships).toEqual([{ merchant: { id: 'shanchuan', name: '山川咖啡' }, role: 'owner' }])
    expect((await browser.get('/api/console/merchants/shanchuan/offers')).json.offers.length).toBeGreaterThan(5)
  })

  it.each([
    ['another site', 'https://evil.example/console/scan?t=abc'],
    ['another page of this site', '/o/latte-10off'],
    ['a scan link without its token', '/console/scan'],
  ])('refuses %s with a page', async (_what, url) => {
    const res = await new Phone(t.url).get(`/__wx/scan?url=${encodeURIComponent(url)}`)
    expect(res.status).toBe(400)
    expect(res.body).toContain('无法识别')
  })

  it('refuses a missing or repeated url', async () => {
    expect((await new Phone(t.url).get('/__wx/scan')).status).toBe(400)
    expect((await new Phone(t.url).get('/__wx/scan?url=a&url=b')).status).toBe(400)
  })
})

describe('the demo owner', () => {
  it('is seeded once however many processes seed at the same time, and only while the café has no members', async () => {
    const database = await createTestDatabase()
    try {
      const now = t.clock.now()
      await seedDemo(database.db, now)
      const owner = await createSandboxOwner(database.db, now)
      await Promise.all([1, 2, 3].map(() => seedDemoOwner(database.db, owner, now)))
      const members = await database.db
        .selectFrom('merchant_members')
        .selectAll()
        .where('merchant_id', '=', demo.merchantId)
        .execute()
      expect(members).toHaveLength(1)
      expect(members[0]!.role).toBe('owner')
      const user = await database.db.selectFrom('users').selectAll().where('openid', '=', DEMO_OWNER.openid).execute()
      expect(user).toHaveLength(1)
      expect(user[0]).toMatchObject({ id: members[0]!.user_id, nickname: '老王（店长）' })
      // Someone else took over the café: a restart doesn't bring 老王 back.
      await database.db.deleteFrom('merchant_members').execute()
      await database.db
        .insertInto('users')
        .values({
          id: 'u-new-owner',
          openid: 'oNewOwner',
          nickname: null,
          avatar_url: null,
          is_snapshot: 0,
          created_at: now,
          last_login_at: now,
        })
        .execute()
      await database.db
        .insertInto('merchant_members')
        .values({ id: 'm-new', merchant_id: demo.merchantId, user_id: 'u-new-owner', role: 'owner', created_at: now })
        .execute()
      await seedDemoOwner(database.db, owner, now)
      const after = await database.db.selectFrom('merchant_members').select('user_id').execute()
      expect(after.map(m => m.user_id)).toEqual(['u-new-owner'])
    } finally {
      await database.drop()
    }
  })
})

describe('console pages', () => {
  it.each([
    '/console',
    '/console/login',
    '/console/scan?t=abcdefghijklmnop',
    '/console/m/shanchuan',
    '/console/m/shanchuan/offers',
    '/console/m/shanchuan/offers/latte-10off',
    '/console/m/shanchuan/offers/new',
    '/console/m/shanchuan/stores',
    '/console/m/shanchuan/clerks',
    '/console/m/shanchuan/members',
    '/console/m/shanchuan/audit',
  ])('serves the app shell at %s', async path => {
    const res = await new Phone(t.url).get(path, { accept: 'text/html' })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<html')
    expect(res.body).not.toContain('页面不存在')
  })

  it('serves nothing deeper than the console’s pages go', async () => {
    expect((await new Phone(t.url).get('/console/m/shanchuan/a/b/c/d', { accept: 'text/html' })).status).toBe(404)
  })
})

describe('npm run admin -- create-merchant', () => {
  function admin(args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/merchants/cli.ts', ...args], {
        env: { ...process.env, DATABASE_URL: t.database.url, PUBLIC_URL: t.url, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', d => {
        out += d
      })
      child.stderr.on('data', d => {
        out += d
      })
      child.once('error', reject)
      child.once('exit', code => resolve({ code, out }))
    })
  }

  it('creates a merchant on the server’s database and prints an invite link that works', async () => {
    const { code, out } = await admin(['create-merchant', '山川咖啡', '二店'])
    expect(code).toBe(0)
    expect(out).toContain('「山川咖啡 二店」')
    const link = out.match(new RegExp(`${t.url}/console/join\\?invite=[A-Za-z0-9]{32}`))?.[0]
    expect(link).toBeTruthy()
    const phone = new Phone(t.url)
    expect((await openWithWeChat(phone, link!)).location).toBe('/console')
    const me = (await phone.get('/api/console/me')).json
    expect(me.memberships).toEqual([{ merchant: { id: expect.any(String), name: '山川咖啡 二店' }, role: 'owner' }])
    const listed = await admin(['list-merchants'])
    expect(listed.out).toContain(`${me.memberships[0].merchant.id}\t山川咖啡 二店\t1 members`)
  })

  it('refuses a missing name or an unknown command', async () => {
    expect((await admin(['create-merchant'])).code).toBe(2)
    expect((await admin(['delete-everything'])).code).toBe(2)
    expect((await admin(['create-merchant', '名'.repeat(31)])).code).toBe(2)
  })
})
