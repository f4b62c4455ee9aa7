import { describe, expect, it } from 'vitest'
import { openSession, SESSION_TTL, sealSession } from '../../src/server/auth/session.ts'

const SECRET = 'test-secret-0123456789abcdef'
const NOW = 1_800_000_000
const base = { sid: 's_1', iat: NOW - 10, oid: 'oUserOpenid0000000000000000', snap: 0 as const }
const payload = { uid: 'u_abc123', ...base, exp: NOW + SESSION_TTL }

/** Replaces the character at `i` with a different base64url character. */
function flip(s: string, i: number): string {
  const c = s[i] === 'A' ? 'B' : 'A'
  return s.slice(0, i) + c + s.slice(i + 1)
}

describe('sealSession / openSession', () => {
  it('opens a sealed session to the same payload', () => {
    expect(openSession(sealSession(payload, SECRET), SECRET, NOW)).toEqual(payload)
  })

  it('seals into a cookie-safe token of body and mac joined by one dot', () => {
    const token = sealSession(payload, SECRET)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  })

  it('keeps a uid with non-ASCII characters intact', () => {
    const p = { ...base, uid: '用户-1', exp: NOW + 60 }
    expect(openSession(sealSession(p, SECRET), SECRET, NOW)).toEqual(p)
  })

  it.each([
    ['one second before exp', NOW + 59, true],
    ['exactly at exp', NOW + 60, false],
    ['after exp', NOW + 3600, false],
  ])('treats a session %s as %s', (_label, now, open) => {
    const token = sealSession({ ...base, uid: 'u1', exp: NOW + 60 }, SECRET)
    expect(openSession(token, SECRET, now) !== null).toBe(open)
  })

  it('rejects a token sealed with a different secret', () => {
    expect(openSession(sealSession(payload, 'another-secret'), SECRET, NOW)).toBeNull()
  })

  it('rejects a token whose body was changed in any character', () => {
    const token = sealSession(payload, SECRET)
    const dot = token.indexOf('.')
    for (let i = 0; i < dot; i++) expect(openSession(flip(token, i), SECRET, NOW), `body char ${i}`).toBeNull()
  })

  it('rejects a token whose mac was changed in any character', () => {
    const token = sealSession(payload, SECRET)
    const dot = token.indexOf('.')
    for (let i = dot + 1; i < token.length; i++)
      expect(openSession(flip(token, i), SECRET, NOW), `mac char ${i}`).toBeNull()
  })

  it("rejects a token that swaps in another user's body under the original mac", () => {
    const mine = sealSession(payload, SECRET)
    const forgedBody = Buffer.from(JSON.stringify({ uid: 'u_admin', exp: payload.exp })).toString('base64url')
    expect(openSession(`${forgedBody}.${mine.split('.')[1]}`, SECRET, NOW)).toBeNull()
  })

  it('rejects a token with the mac cut short or extended', () => {
    const token = sealSession(payload, SECRET)
    expect(openSession(token.slice(0, -1), SECRET, NOW)).toBeNull()
    expect(openSession(`${token}A`, SECRET, NOW)).toBeNull()
  })

  it.each([
    ['undefined', undefined],
    ['an empty string', ''],
    ['a lone dot', '.'],
    ['no dot', 'abcdef'],
    ['an empty body', '.abcdef'],
    ['an empty mac', 'abcdef.'],
    ['garbage with dots', 'a.b.c'],
    ['non-base64 garbage', '%%%.%%%'],
    ['unicode garbage', '会话.令牌'],
  ])('rejects %s', (_label, token) => {
    expect(openSession(token, SECRET, NOW)).toBeNull()
  })

  it.each([
    ['a uid that is not a string', { ...base, uid: 42, exp: NOW + 60 }],
    ['an exp that is not a number', { ...base, uid: 'u1', exp: String(NOW + 60) }],
    ['no exp', { ...base, uid: 'u1' }],
    ['no session id', { ...base, sid: undefined, uid: 'u1', exp: NOW + 60 }],
    ['no issue time', { ...base, iat: undefined, uid: 'u1', exp: NOW + 60 }],
    ['no openid', { ...base, oid: undefined, uid: 'u1', exp: NOW + 60 }],
    ['a snapshot flag that is not 0 or 1', { ...base, snap: true, uid: 'u1', exp: NOW + 60 }],
    ['the payload of an older cookie (uid and exp only)', { uid: 'u1', exp: NOW + 60 }],
    ['null', null],
  ])('rejects a correctly signed payload with %s', (_label, p) => {
    const token = sealSession(p as never, SECRET)
    expect(openSession(token, SECRET, NOW)).toBeNull()
  })

  it('rejects a correctly signed body that is not JSON', async () => {
    const { createHmac } = await import('node:crypto')
    const body = Buffer.from('not json').toString('base64url')
    const mac = createHmac('sha256', SECRET).update(body).digest('base64url')
    expect(openSession(`${body}.${mac}`, SECRET, NOW)).toBeNull()
  })

  it('rejects an over-long token even when it is correctly signed', () => {
    const long = sealSession({ ...base, uid: 'u'.repeat(600), exp: NOW + 60 }, SECRET)
    expect(long.length).toBeGreaterThan(512)
    expect(openSession(long, SECRET, NOW)).toBeNull()
  })

  it('accepts a correctly signed token just under the length limit', () => {
    const p = { ...base, uid: 'u'.repeat(250), exp: NOW + 60 }
    const token = sealSession(p, SECRET)
    expect(token.length).toBeLessThanOrEqual(512)
    expect(openSession(token, SECRET, NOW)).toEqual(p)
  })
})
