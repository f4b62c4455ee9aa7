/**
 * A poster channel's printable files through the console's routes: the PNG's QR code reads back as
 * the channel's link, the PDF opens (poppler) and its page is A5 or A4; both download with a name
 * and stay out of shared caches.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelDto } from '../../src/shared/api/channels.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { consolePhone } from '../helpers/console.ts'
import type { Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
let channel: ChannelDto
const work = mkdtempSync(join(tmpdir(), 'kaquan-poster-routes-'))
const shots = 'test-output'

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  t = await startTestApp({ outboxIntervalMs: 0 })
  owner = await consolePhone(t)
  const res = await owner.post('/api/console/merchants/shanchuan/channels', {
    name: '南京西路店收银台/海报',
    kind: 'poster',
    offerId: 'latte-10off',
    storeId: 'nanjingxilu',
  })
  channel = res.json.channel
})
afterAll(async () => {
  await t.close()
})

async function download(path: string) {
  const res = await fetch(`${t.url}${path}`, { headers: { cookie: owner.cookieHeader() } })
  return { res, bytes: Buffer.from(await res.arrayBuffer()) }
}
const posterPath = (ext: string, size?: string) =>
  `/api/console/merchants/shanchuan/channels/${channel.id}/poster.${ext}${size ? `?size=${size}` : ''}`

describe('the poster PNG route', () => {
  it('is an A5 at 300 dpi by default, whose QR code reads back as the channel’s link', async () => {
    expect(channel.posterUrl).toBe(`${t.url}${posterPath('png')}`)
    const { res, bytes } = await download(posterPath('png'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toMatch(/^private\b/)
    // The channel's own name (its slash made safe) where browsers take it, a plain one for the rest.
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="kaquan-poster-${channel.code}-a5.png"; filename*=UTF-8''${encodeURIComponent('南京西路店收银台_海报-A5.png')}`,
    )
    const png = PNG.sync.read(bytes)
    expect([png.width, png.height]).toEqual([1748, 2480])
    const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length)
    const code = jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' })
    expect(code?.data).toBe(channel.url)
    expect(channel.url).toBe(`${t.url}/o/latte-10off?ch=${channel.code}&store=nanjingxilu`)
    writeFileSync(join(shots, 'poster-route-a5.png'), bytes)
  })

  it('is an A4 when asked', async () => {
    const { res, bytes } = await download(posterPath('png', 'a4'))
    expect(res.status).toBe(200)
    const png = PNG.sync.read(bytes)
    expect([png.width, png.height]).toEqual([2480, 3508])
  })

  it('refuses a size it does not print, naming the field', async () => {
    const res = await owner.get(posterPath('png', 'a3'))
    expect(res.status).toBe(400)
    expect(res.json.error).toMatchObject({ code: 'invalid_request', field: 'size' })
  })

  it('is only for the merchant’s members', async () => {
    const { res } = await download(posterPath('png').replace('shanchuan', 'nobody'))
    expect(res.status).toBe(403)
    const anonymous = await fetch(`${t.url}${posterPath('png')}`)
    expect(anonymous.status).toBe(401)
  })
})

describe('the poster PDF route', () => {
  it.each([
    ['a5', 419.53, 595.28],
    ['a4', 595.28, 841.89],
  ])('opens, one %s page, with the merchant, the offer and the instructions as text', async (size, w, h) => {
    const { res, bytes } = await download(posterPath('pdf', size))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toContain(`filename="kaquan-poster-${channel.code}-${size}.pdf"`)
    const file = join(work, `poster-${size}.pdf`)
    writeFileSync(file, bytes)
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/Pages:\s+1\n/)
    const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
    expect(Number(m![1])).toBeCloseTo(w, 1)
    expect(Number(m![2])).toBeCloseTo(h, 1)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    for (const words of ['山川咖啡', '拿铁满50减10', '微信扫一扫 领取优惠券', '南京西路店'])
      expect(text).toContain(words)
  })

  it('prints (pdftoppm) with a QR code that reads back as the link', async () => {
    const { bytes } = await download(posterPath('pdf'))
    const file = join(work, 'scan.pdf')
    writeFileSync(file, bytes)
    execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', file, join(work, 'scan')])
    const png = PNG.sync.read(readFileSync(join(work, 'scan.png')))
    const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length)
    expect(jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' })?.data).toBe(channel.url)
  })
})
