/**
 * Where everything sits on a poster, as plain shapes in millimetres on an A5 page (148 × 210).
 * A4 is the same drawing scaled by √2, so one layout serves both sizes, and the SVG/PNG and PDF
 * renderers draw the same shapes. Margins are 10 mm (14 mm on A4): office printers can't print
 * to the edge, so nothing bleeds.
 */
import { create } from 'qrcode'
import { type OfferValueInput, offerValueLabel } from '../../shared/money.ts'
import { AppError } from '../http/errors.ts'
import { printable, textWidth, type Weight } from './poster-font.ts'
import { type FitBox, fitText } from './poster-text.ts'

export interface PosterInput {
  merchantName: string
  storeName?: string | null
  storeAddress?: string | null
  offer: (OfferValueInput & { title: string }) | null
  /** The channel's landing link: what the QR code holds, byte for byte. */
  url: string
  channelName: string
}

export type Run = { text: string; size: number }
export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; r: number; fill: string }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string }
  | { kind: 'line'; points: [number, number][]; stroke: string; width: number; dash?: [number, number] }
  | { kind: 'text'; x: number; y: number; weight: Weight; fill: string; runs: Run[] }
  | { kind: 'qr'; x: number; y: number; module: number; runs: { row: number; col: number; len: number }[] }

export const designWidth = 148
export const designHeight = 210
/** Width of the QR symbol itself (quiet zone not counted): over the 6 cm the brief asks for, on A5. */
export const qrSizeMm = 64

const green = '#07C160'
const ink = '#1A1A1A'
const grey = '#7F7F7F'
const rule = '#E5E5E5'
const white = '#FFFFFF'
// Where the CJK face's em box sits over the baseline (hhea ascent 880 of 1000 units).
const ascent = 0.88

export function layoutPoster(p: PosterInput): Shape[] {
  const shapes: Shape[] = []
  const cx = designWidth / 2

  block(shapes, printable(p.merchantName), { top: 11, height: 13, fill: ink }, box(700, 9.5, 5, 120, 2))

  // The offer as a coupon ticket: the value on top, a perforation with two notches, the title below.
  shapes.push({ kind: 'rect', x: 10, y: 26, w: 128, h: 50, r: 4, fill: green })
  const label = p.offer ? offerValueLabel(p.offer) : { main: '优惠券', condition: '本店好券 扫码即领' }
  shapes.push(valueLine(label.main, cx, 31.5, 47.5))
  block(shapes, printable(label.condition), { top: 50.5, height: 6.5, fill: white }, box(400, 5, 3.2, 112, 1))
  shapes.push({
    kind: 'line',
    points: [
      [16, 60],
      [132, 60],
    ],
    stroke: white,
    width: 0.35,
    dash: [1.4, 1.1],
  })
  shapes.push(
    { kind: 'circle', cx: 10, cy: 60, r: 3, fill: white },
    { kind: 'circle', cx: 138, cy: 60, r: 3, fill: white },
  )
  const title = p.offer ? printable(p.offer.title) : '扫码查看本店全部优惠'
  block(shapes, title, { top: 62.5, height: 11.5, fill: white }, box(400, 5.5, 3.6, 112, 2))

  shapes.push(...qrWithFrame(p.url, cx, 121))
  block(shapes, '微信扫一扫 领取优惠券', { top: 165, height: 9, fill: green }, box(700, 6.2, 6.2, 128, 1))

  const storeName = printable(p.storeName ?? '')
  const storeAddress = printable(p.storeAddress ?? '')
  if (storeName || storeAddress) {
    shapes.push({
      kind: 'line',
      points: [
        [10, 179.5],
        [138, 179.5],
      ],
      stroke: rule,
      width: 0.3,
    })
    block(shapes, storeName, { top: 181.5, height: 6, fill: ink }, box(700, 4.2, 3, 128, 1))
    block(shapes, storeAddress, { top: 188, height: 10.5, fill: grey }, box(400, 3.3, 2.6, 128, 2))
  }
  return shapes
}

function box(weight: Weight, maxSize: number, minSize: number, width: number, maxLines: number): FitBox {
  return { weight, maxSize, minSize, width, height: Number.POSITIVE_INFINITY, lineHeight: 1.3, maxLines }
}

/** Fits `text` into a zone of the page and centres the resulting lines in it, both ways. */
function block(shapes: Shape[], text: string, zone: { top: number; height: number; fill: string }, fit: FitBox) {
  if (!text) return
  const { size, lines } = fitText(text, { ...fit, height: zone.height })
  const pitch = size * fit.lineHeight
  const top = zone.top + (zone.height - lines.length * pitch) / 2
  lines.forEach((line, i) => {
    const y = top + i * pitch + (pitch - size) / 2 + ascent * size
    shapes.push({
      kind: 'text',
      x: designWidth / 2,
      y,
      weight: fit.weight,
      fill: zone.fill,
      runs: [{ text: line, size }],
    })
  })
}

/**
 * The big value (¥10, 8.8折, 赠品) with its currency sign or 折 set smaller, as price tags do. It
 * fills the band from `top` to `bottom`: figures stand on its bottom with their tops at its top
 * (Noto's figures are 0.733 em tall); ideographs fill their whole em box, so they are set smaller
 * and centred in the band to look as tall as the figures.
 */
function valueLine(main: string, x: number, top: number, bottom: number): Shape {
  const parts = /^(¥?)(.*?)(折?)$/.exec(main)!
  const small = 0.5
  const runs = [
    { text: parts[1]!, size: small },
    { text: parts[2]!, size: 1 },
    { text: parts[3]!, size: small },
  ].filter(r => r.text)
  const figures = /\d/.test(main)
  const band = bottom - top
  const unitWidth = runs.reduce((w, r) => w + textWidth(r.text, 700) * r.size, 0)
  const size = Math.min(figures ? band / 0.733 : band * 1.02, 112 / unitWidth)
  return {
    kind: 'text',
    x,
    y: figures ? bottom : (top + bottom) / 2 + (ascent - 0.5) * size,
    weight: 700,
    fill: white,
    runs: runs.map(r => ({ text: r.text, size: r.size * size })),
  }
}

/** The QR code of the link, centred at (cx, cy), with a viewfinder's four corners outside its quiet zone. */
function qrWithFrame(url: string, cx: number, cy: number): Shape[] {
  // Version 4 at least keeps a short link's modules (and so its quiet zone) from growing so big that
  // the frame would crowd the ticket; version 10 at most keeps modules over 1 mm, easy to read from a counter.
  const first = create(url, { errorCorrectionLevel: 'M' })
  if (first.version > 10) throw new AppError('invalid_request', 'link too long for a printed QR code')
  const qr = first.version < 4 ? create(url, { errorCorrectionLevel: 'M', version: 4 }) : first
  const n = qr.modules.size
  const module = qrSizeMm / n
  const runs: { row: number; col: number; len: number }[] = []
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(row, col)) continue
      const last = runs.at(-1)
      if (last && last.row === row && last.col + last.len === col) last.len++
      else runs.push({ row, col, len: 1 })
    }
  }
  const half = qrSizeMm / 2
  const shapes: Shape[] = [{ kind: 'qr', x: cx - half, y: cy - half, module, runs }]
  // ISO/IEC 18004 asks for a light quiet zone of 4 modules around the symbol; the corners sit past it.
  const out = half + 4 * module + 1.2
  const arm = 9
  for (const [sx, sy] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ] as const) {
    const x = cx + sx * out
    const y = cy + sy * out
    shapes.push({
      kind: 'line',
      points: [
        [x, y - sy * arm],
        [x, y],
        [x - sx * arm, y],
      ],
      stroke: green,
      width: 1.2,
    })
  }
  return shapes
}
