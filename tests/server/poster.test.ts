import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSync as openFont } from 'fontkit'
import jsQR from 'jsqr'
import extractChunks from 'png-chunks-extract'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import {
  type PosterInput,
  type PosterSize,
  posterPages,
  renderPosterPdf,
  renderPosterPng,
  renderPosterSvg,
} from '../../src/server/channels/poster.ts'
import { fontFiles, printable, textWidth } from '../../src/server/channels/poster-font.ts'
import { layoutPoster, qrSizeMm, type Shape } from '../../src/server/channels/poster-layout.ts'

const cafe: PosterInput = {
  merchantName: '街角咖啡 Corner Café',
  storeName: '南京西路店',
  storeAddress: '上海市静安区南京西路1266号恒隆广场一楼',
  offer: {
    title: '拿铁立减10元',
    kind: 'cash',
    valueFen: 1000,
    thresholdFen: 5000,
    discountPercent: null,
    giftName: null,
  },
  url: 'http://localhost:8080/s/demo-store?ch=k3x9q2',
  channelName: '收银台海报',
}

const tricky: PosterInput = {
  ...cafe,
  merchantName: `上海市静安区南京西路${'香浓醇厚'.repeat(12)}精品咖啡烘焙工作室 Specialty Coffee Roasters & Bakery Limited`,
  storeName: `恒隆广场${'旗舰'.repeat(30)}店`,
  storeAddress: `上海市静安区南京西路1266号恒隆广场一楼${'靠近地铁二号线出口'.repeat(8)}`,
  offer: { ...cafe.offer!, title: `<b>满减</b> & "特价" 'now' ${'限时'.repeat(40)}` },
  url: 'http://localhost:8080/s/demo-store?ch=a<b>&c="d"',
}

const outDir = 'test-output'
mkdirSync(outDir, { recursive: true })
const work = mkdtempSync(join(tmpdir(), 'kaquan-poster-'))

const mmPerInch = 25.4
const pointsPerMm = 72 / mmPerInch

function readQr(png: PNG) {
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length)
  return jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' })
}

/** The decoded symbol's width, corner to corner along its top edge, in millimetres at `dpi`. */
function qrWidthMm(code: NonNullable<ReturnType<typeof readQr>>, dpi: number): number {
  const { topLeftCorner: a, topRightCorner: b } = code.location
  return (Math.hypot(b.x - a.x, b.y - a.y) / dpi) * mmPerInch
}

function pdfToPng(pdf: Buffer, dpi: number, name: string): PNG {
  const file = join(work, `${name}.pdf`)
  writeFileSync(file, pdf)
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', file, join(work, name)])
  return PNG.sync.read(readFileSync(join(work, `${name}.png`)))
}

function pdfPageSize(pdf: Buffer, name: string): [number, number] {
  const file = join(work, `${name}.pdf`)
  writeFileSync(file, pdf)
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
  expect(m, info).not.toBeNull()
  return [Number(m![1]), Number(m![2])]
}

describe('poster PNG', () => {
  it.each(['a5', 'a4'] as PosterSize[])(
    'renders %s at 300 dpi with a QR code that reads back as the channel link',
    async size => {
      const bytes = await renderPosterPng(cafe, size)
      const png = PNG.sync.read(bytes)
      const page = posterPages[size]
      expect([png.width, png.height]).toEqual([page.widthPx, page.heightPx])
      expect(Math.round((page.widthMm / mmPerInch) * 300)).toBe(page.widthPx)
      expect(Math.round((page.heightMm / mmPerInch) * 300)).toBe(page.heightPx)

      const code = readQr(png)
      expect(code?.data).toBe(cafe.url)
      expect(qrWidthMm(code!, 300)).toBeGreaterThanOrEqual(60)
      if (size === 'a5') writeFileSync(join(outDir, 'poster-a5.png'), bytes)
    },
  )

  it('says its physical resolution is 300 dpi (pHYs, pixels per metre)', async () => {
    const chunks = extractChunks(await renderPosterPng(cafe, 'a5'))
    expect(chunks.map(c => c.name).slice(0, 2)).toEqual(['IHDR', 'pHYs'])
    const phys = Buffer.from(chunks[1]!.data)
    expect([phys.readUInt32BE(0), phys.readUInt32BE(4), phys.readUInt8(8)]).toEqual([11811, 11811, 1])
  })

  it('has a white background at the print margins', async () => {
    const png = PNG.sync.read(await renderPosterPng(cafe, 'a5'))
    const margin = Math.floor((9 / mmPerInch) * 300)
    for (const [x, y] of [
      [0, 0],
      [png.width - 1, png.height - 1],
      [margin, png.height / 2],
      [png.width - margin, 1000],
      [png.width / 2, png.height - margin],
    ]) {
      const i = (Math.floor(y!) * png.width + Math.floor(x!)) * 4
      expect([...png.data.subarray(i, i + 3)], `pixel ${x},${y}`).toEqual([255, 255, 255])
    }
  })
})

describe('poster PDF', () => {
  it.each(['a5', 'a4'] as PosterSize[])(
    'is one %s page whose rasterized QR code reads back as the link',
    async size => {
      const pdf = await renderPosterPdf(cafe, size)
      const page = posterPages[size]
      const [w, h] = pdfPageSize(pdf, `cafe-${size}`)
      expect(w).toBeCloseTo(page.widthMm * pointsPerMm, 1)
      expect(h).toBeCloseTo(page.heightMm * pointsPerMm, 1)

      const dpi = size === 'a5' ? 300 : 150
      const png = pdfToPng(pdf, dpi, `cafe-${size}`)
      expect(Math.abs(png.width - (page.widthMm / mmPerInch) * dpi)).toBeLessThanOrEqual(1)
      expect(Math.abs(png.height - (page.heightMm / mmPerInch) * dpi)).toBeLessThanOrEqual(1)
      const code = readQr(png)
      expect(code?.data).toBe(cafe.url)
      expect(qrWidthMm(code!, dpi)).toBeGreaterThanOrEqual(60)
      if (size === 'a5') writeFileSync(join(outDir, 'poster-a5-pdf.png'), PNG.sync.write(png))
    },
  )

  it('embeds only a subset of the font, as text', async () => {
    const pdf = await renderPosterPdf(cafe, 'a5')
    const file = join(work, 'fonts.pdf')
    writeFileSync(file, pdf)
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/\+NotoSansHans-Bold .* yes yes yes/)
    expect(fonts).toMatch(/\+NotoSansHans-Regular .* yes yes yes/)
    expect(pdf.length).toBeLessThan(300_000)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    for (const words of ['街角咖啡', '满50可用', '拿铁立减10元', '微信扫一扫 领取优惠券', '南京西路店'])
      expect(text).toContain(words)
  })
})

/** The em box of a line of text on the A5 drawing: what must stay inside the page and clear of the rest. */
function textBox(s: Extract<Shape, { kind: 'text' }>) {
  const width = s.runs.reduce((w, r) => w + textWidth(r.text, s.weight) * r.size, 0)
  const size = Math.max(...s.runs.map(r => r.size))
  return { left: s.x - width / 2, right: s.x + width / 2, top: s.y - 0.88 * size, bottom: s.y + 0.12 * size }
}

/** Each <text> element of an SVG as the list of its tspans' contents. */
function svgLines(svg: string): string[][] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map(m =>
    [...m[1]!.matchAll(/>([^<]*)<\/tspan>/g)].map(t => t[1]!),
  )
}

describe('poster text', () => {
  it('escapes user text in the SVG and still renders a readable QR code', async () => {
    const svg = renderPosterSvg(tricky)
    expect(svg).not.toContain('<b>')
    expect(svg).toContain('&lt;b&gt;满减&lt;/b&gt; &amp; &quot;特价&quot; &apos;now&apos;')
    const png = PNG.sync.read(await renderPosterPng(tricky, 'a5'))
    expect(readQr(png)?.data).toBe(tricky.url)
    writeFileSync(join(outDir, 'poster-a5-long.png'), PNG.sync.write(png))
  })

  it.each([
    ['a short café', cafe],
    ['very long names', tricky],
  ])('keeps every line inside the margins and clear of other lines and the QR code, for %s', (_, p) => {
    const shapes = layoutPoster(p)
    const texts = shapes.filter((s): s is Extract<Shape, { kind: 'text' }> => s.kind === 'text')
    const qr = shapes.find(s => s.kind === 'qr')!
    // The widest quiet zone there can be: posters use QR version 4 (33 modules) or larger.
    const quiet = (4 * qrSizeMm) / 33
    const boxes = texts.map(textBox)
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(10)
      expect(b.right).toBeLessThanOrEqual(138)
      expect(b.top).toBeGreaterThanOrEqual(10)
      expect(b.bottom).toBeLessThanOrEqual(200)
      const clearOfQr =
        b.bottom <= qr.y - quiet || b.top >= qr.y + qrSizeMm + quiet || b.right <= qr.x || b.left >= qr.x + qrSizeMm
      expect(clearOfQr).toBe(true)
    }
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) {
        expect(a.bottom <= b.top + 1e-6 || b.bottom <= a.top + 1e-6, JSON.stringify([a, b])).toBe(true)
      }
    })
  })

  it('wraps a very long merchant name to two lines and shortens it with an ellipsis', () => {
    const lines = layoutPoster(tricky)
      .filter((s): s is Extract<Shape, { kind: 'text' }> => s.kind === 'text')
      .filter(s => s.y < 26)
      .map(s => s.runs.map(r => r.text).join(''))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^上海市静安区南京西路香浓醇厚/)
    expect(lines[1]).toMatch(/…$/)
  })

  it.each([
    [
      { kind: 'cash', valueFen: 1000, thresholdFen: 5000, discountPercent: null, giftName: null },
      ['¥', '10'],
      '满50可用',
    ],
    [{ kind: 'cash', valueFen: 550, thresholdFen: 0, discountPercent: null, giftName: null }, ['¥', '5.5'], '无门槛'],
    [
      { kind: 'discount', valueFen: 0, thresholdFen: 3000, discountPercent: 88, giftName: null },
      ['8.8', '折'],
      '满30可用',
    ],
    [{ kind: 'gift', valueFen: 0, thresholdFen: 0, discountPercent: null, giftName: '拿铁一杯' }, ['赠品'], '拿铁一杯'],
  ] as const)('shows %o large as %j with %s under it', (value, main, condition) => {
    const lines = svgLines(renderPosterSvg({ ...cafe, offer: { ...value, title: '本周特惠' } }))
    expect(lines).toContainEqual(main)
    expect(lines).toContainEqual([condition])
    expect(lines).toContainEqual(['本周特惠'])
    expect(lines).toContainEqual(['微信扫一扫 领取优惠券'])
  })

  it('makes a store poster without an offer, and leaves out a footer with no store', () => {
    const svg = renderPosterSvg({ ...cafe, offer: null, storeName: null, storeAddress: null })
    expect(svgLines(svg)).toContainEqual(['优惠券'])
    expect(svgLines(svg)).toContainEqual(['扫码查看本店全部优惠'])
    expect(svg).not.toContain('南京西路店')
    expect(svg).not.toContain('stroke="#E5E5E5"')
  })

  it('refuses a link too long for a printed QR code', () => {
    expect(() => layoutPoster({ ...cafe, url: `http://localhost:8080/s/x?ch=${'a'.repeat(400)}` })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    )
  })
})

describe('poster font', () => {
  // GB2312 rows 16–87 hold its 6,763 hanzi (row 55 ends at column 89); decoding them through
  // GB18030 gives their Unicode code points.
  const gb2312Hanzi: string[] = []
  const gb = new TextDecoder('gb18030')
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let col = 0xa1; col <= 0xfe; col++) {
      if (row === 0xd7 && col > 0xf9) continue
      gb2312Hanzi.push(gb.decode(new Uint8Array([row, col])))
    }
  }

  it.each([400, 700] as const)('draws every GB2312 hanzi in weight %i', weight => {
    expect(gb2312Hanzi).toHaveLength(6763)
    const font = openFont(fontFiles[weight]) as import('fontkit').Font
    const missing = gb2312Hanzi.filter(ch => !font.hasGlyphForCodePoint(ch.codePointAt(0)!))
    expect(missing).toEqual([])
  })

  it('drops what it cannot draw instead of printing an empty box', () => {
    expect(printable('咖啡😀 小馆\u2028 喆堃 ')).toBe('咖啡 小馆 喆堃')
  })
})
