import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, SANDBOX_AES_KEY, SANDBOX_SECRET, SANDBOX_TOKEN } from '../../src/server/config.ts'
import { liveEnv as live } from '../helpers/config.ts'

const without = (...keys: (keyof typeof live)[]) =>
  Object.fromEntries(Object.entries(live).filter(([k]) => !keys.includes(k as keyof typeof live)))

describe('configuration with real WeChat credentials', () => {
  it('starts with every secret given, and none of them is a sandbox value', () => {
    const c = loadConfig(live)
    expect(c.sandbox).toBe(false)
    expect([c.wx.token, c.wx.aesKey, c.wx.appSecret]).toEqual([live.WX_TOKEN, live.WX_AES_KEY, live.WX_APPSECRET])
    expect([SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_SECRET]).not.toContain(c.wx.token)
    expect(c.sessionSecret).toBe(live.SESSION_SECRET)
    expect(c.host).toBe('0.0.0.0')
  })

  it.each([['WX_TOKEN'], ['WX_AES_KEY'], ['SESSION_SECRET'], ['WX_APPSECRET'], ['PUBLIC_URL']] as const)(
    'refuses to start without %s and names it',
    key => {
      expect(() => loadConfig(without(key))).toThrow(ConfigError)
      expect(() => loadConfig(without(key))).toThrow(new RegExp(`${key}: required`))
    },
  )

  it('needs no EncodingAESKey in plaintext push mode', () => {
    const c = loadConfig({ ...without('WX_AES_KEY'), WX_PUSH_MODE: 'plain' })
    expect(c.wx.pushMode).toBe('plain')
    expect(c.wx.aesKey).toBe('')
  })

  it('names every missing variable at once', () => {
    let message = ''
    try {
      loadConfig(without('WX_TOKEN', 'WX_AES_KEY', 'SESSION_SECRET'))
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/WX_TOKEN: required/)
    expect(message).toMatch(/WX_AES_KEY: required/)
    expect(message).toMatch(/SESSION_SECRET: required/)
  })
})

describe('configuration in sandbox mode', () => {
  it('listens on loopback by default and leaves the session secret to the sandbox', () => {
    const c = loadConfig({})
    expect(c.sandbox).toBe(true)
    expect(c.host).toBe('127.0.0.1')
    expect(c.sandboxPublic).toBe(false)
    expect(c.sessionSecret).toBe('')
  })

  it('refuses a network address unless SANDBOX_PUBLIC=1 says so', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/SANDBOX_PUBLIC=1/)
    expect(() => loadConfig({ HOST: '192.168.1.20' })).toThrow(ConfigError)
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost')
    const open = loadConfig({ SANDBOX_PUBLIC: '1' })
    expect([open.host, open.sandboxPublic]).toEqual(['0.0.0.0', true])
    expect(loadConfig({ SANDBOX_PUBLIC: '1', HOST: '10.0.0.5' }).host).toBe('10.0.0.5')
  })
})
