/**
 * The console's 微信支付 panel (GET …/wechat-pay): the notify URL Kaquan uses, whether WeChat Pay
 * has it (read live from the sandbox's WeChat Pay), and the merchant platform checklist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import { planFault, startTestApp, type TestApp } from '../helpers/app.ts'
import { consolePhone, newManager } from '../helpers/console.ts'
import type { Phone } from '../helpers/phone.ts'
import { pointCallbacksAt } from '../helpers/wxpay.ts'

let t: TestApp
let owner: Phone
const path = '/api/console/merchants/shanchuan/wechat-pay'
const states = (checklist: { key: string; state: string }[]) => Object.fromEntries(checklist.map(i => [i.key, i.state]))

beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
})
afterAll(async () => {
  await t.close()
})

describe('the console’s WeChat Pay panel', () => {
  it('says the notify URL is not registered yet, and what to set where', async () => {
    const res = await owner.get(path)
    expect(res.status).toBe(200)
    expect(res.json.wechatPay).toMatchObject({
      configured: true,
      sandbox: true,
      mchid: t.config.wxpay!.mchid,
      notifyUrl: `${t.url}/wechatpay/notify`,
      registered: 'no',
      registeredUrl: null,
      problem: null,
    })
    const list = res.json.wechatPay.checklist
    expect(list.map((i: { place: string }) => i.place)).toEqual([
      '账户中心 → 商户信息 → 商户号',
      '账户中心 → API安全 → API证书',
      '账户中心 → API安全 → APIv2密钥',
      '账户中心 → API安全 → APIv3密钥',
      '账户中心 → API安全 → 微信支付公钥',
      '产品中心 → AppID账号管理',
      '营销中心 → 商家券 → 创建批次',
      '营销中心 → 商家券 → 营销事件推送',
    ])
    // WeChat Pay answered a signed call: the merchant number, certificate and public key fit together.
    expect(states(list)).toMatchObject({ mchid: 'done', apiCert: 'done', publicKey: 'done', notify: 'todo' })
    expect(list.find((i: { key: string }) => i.key === 'notify')).toMatchObject({
      value: `${t.url}/wechatpay/notify`,
      variable: 'PUBLIC_URL',
    })
  })

  it('says it is registered once WeChat Pay sends COUPON.SEND here (as npm start makes it)', async () => {
    await pointCallbacksAt(t)
    const res = await owner.get(path)
    expect(res.json.wechatPay).toMatchObject({ registered: 'yes', registeredUrl: `${t.url}/wechatpay/notify` })
    expect(states(res.json.wechatPay.checklist).notify).toBe('done')
  })

  it('answers unknown, with the reason, when WeChat Pay does not answer', async () => {
    await planFault(t, 'wxpay:/v3/marketing/busifavor/callbacks', 'SYSTEM_ERROR', 50)
    try {
      const res = await owner.get(path)
      expect(res.status).toBe(200)
      expect(res.json.wechatPay).toMatchObject({ configured: true, registered: 'unknown', registeredUrl: null })
      expect(res.json.wechatPay.problem).toEqual(expect.any(String))
      expect(states(res.json.wechatPay.checklist)).toMatchObject({ apiCert: 'check', notify: 'check' })
    } finally {
      await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
    }
  })

  it('is open to managers too', async () => {
    const manager = await newManager(t, owner, 'shanchuan')
    expect((await manager.get(path)).status).toBe(200)
  })

  it('says WeChat Pay is off, with every step to do, on a server without WXPAY_ variables', async () => {
    const app = await buildApp({
      config: { ...t.config, wxpay: null, sandbox: false },
      db: t.database.db,
      engine: t.database.engine,
      clock: t.clock,
      outboxIntervalMs: 0,
    })
    try {
      const res = await app.inject({ method: 'GET', url: path, headers: { cookie: owner.cookieHeader() } })
      expect(res.statusCode).toBe(200)
      const pay = res.json().wechatPay
      expect(pay).toMatchObject({
        configured: false,
        sandbox: false,
        mchid: null,
        notifyUrl: `${t.url}/wechatpay/notify`,
        registered: 'unknown',
      })
      expect(pay.problem).toContain('WXPAY_MCHID')
      expect(new Set(pay.checklist.map((i: { state: string }) => i.state))).toEqual(new Set(['todo']))
    } finally {
      await app.close()
    }
  })
})
