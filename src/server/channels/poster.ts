/**
 * Print-ready posters for a poster channel: the merchant, the offer's value as a coupon ticket, a
 * QR code of the channel's link and 微信扫一扫 领取优惠券, the store at the bottom. One layout
 * (poster-layout.ts) drawn three ways: SVG, a 300 dpi PNG rasterized from it, and a vector PDF.
 */
import { layoutPoster, type PosterInput } from './poster-layout.ts'
import { shapesToPdf } from './poster-pdf.ts'
import { svgToPng } from './poster-png.ts'
import { shapesToSvg } from './poster-svg.ts'

export type { PosterInput }
export type PosterSize = 'a5' | 'a4'

/** Print shops and office printers both expect 300 dpi for a poster seen from arm's length. */
export const posterDpi = 300

/** ISO 216 sizes; pixels are the millimetres at 300 dpi, rounded. */
export const posterPages = {
  a5: { name: 'A5', widthMm: 148, heightMm: 210, widthPx: 1748, heightPx: 2480 },
  a4: { name: 'A4', widthMm: 210, heightMm: 297, widthPx: 2480, heightPx: 3508 },
} as const

function title(p: PosterInput): string {
  return `${p.merchantName} · ${p.channelName}`
}

/** The poster as an SVG sized in millimetres (a preview, or something to hand a print shop). */
export function renderPosterSvg(p: PosterInput, size: PosterSize = 'a5'): string {
  const page = posterPages[size]
  return shapesToSvg(layoutPoster(p), {
    widthMm: page.widthMm,
    heightMm: page.heightMm,
    width: `${page.widthMm}mm`,
    height: `${page.heightMm}mm`,
    title: title(p),
  })
}

export function renderPosterPng(p: PosterInput, size: PosterSize): Promise<Buffer> {
  const page = posterPages[size]
  const svg = shapesToSvg(layoutPoster(p), {
    widthMm: page.widthMm,
    heightMm: page.heightMm,
    width: String(page.widthPx),
    height: String(page.heightPx),
    title: title(p),
  })
  return svgToPng(svg, posterDpi)
}

export function renderPosterPdf(p: PosterInput, size: PosterSize): Promise<Buffer> {
  const page = posterPages[size]
  return shapesToPdf(layoutPoster(p), { ...page, title: title(p) })
}
