/** The poster's shapes as an SVG document: what resvg rasterizes, and a preview a browser can show. */
import { fontFamilyCss } from './poster-font.ts'
import { designHeight, designWidth, type Shape } from './poster-layout.ts'

export interface SvgPage {
  /** The page in millimetres; the A5 drawing is scaled uniformly to fill it. */
  widthMm: number
  heightMm: number
  /** The root's width and height attributes: millimetres for print, pixels for a raster of exact size. */
  width: string
  height: string
  title: string
}

export function shapesToSvg(shapes: Shape[], page: SvgPage): string {
  const k = Math.min(page.widthMm / designWidth, page.heightMm / designHeight)
  const dx = (page.widthMm - designWidth * k) / 2
  const dy = (page.heightMm - designHeight * k) / 2
  const body = shapes.map(shapeToSvg).join('\n')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${page.width}" height="${page.height}" viewBox="0 0 ${n(page.widthMm)} ${n(page.heightMm)}" preserveAspectRatio="none">`,
    `<title>${escapeXml(page.title)}</title>`,
    `<rect width="${n(page.widthMm)}" height="${n(page.heightMm)}" fill="#FFFFFF"/>`,
    `<g transform="translate(${n(dx)} ${n(dy)}) scale(${n(k)})" font-family="${escapeXml(fontFamilyCss)}">`,
    body,
    '</g>',
    '</svg>',
  ].join('\n')
}

function shapeToSvg(s: Shape): string {
  switch (s.kind) {
    case 'rect':
      return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" rx="${n(s.r)}" fill="${s.fill}"/>`
    case 'circle':
      return `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${s.fill}"/>`
    case 'line': {
      const dash = s.dash ? ` stroke-dasharray="${s.dash.map(n).join(' ')}"` : ''
      const points = s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')
      return `<polyline points="${points}" fill="none" stroke="${s.stroke}" stroke-width="${n(s.width)}" stroke-linecap="${s.dash ? 'butt' : 'square'}" stroke-linejoin="miter"${dash}/>`
    }
    case 'text': {
      const spans = s.runs.map(r => `<tspan font-size="${n(r.size)}">${escapeXml(r.text)}</tspan>`).join('')
      return `<text x="${n(s.x)}" y="${n(s.y)}" text-anchor="middle" font-weight="${s.weight}" fill="${s.fill}">${spans}</text>`
    }
    case 'qr': {
      // One path of unit-high runs, drawn in module units and scaled: no hairline seams between modules.
      const d = s.runs.map(r => `M${r.col} ${r.row}h${r.len}v1h-${r.len}z`).join('')
      return `<path transform="translate(${n(s.x)} ${n(s.y)}) scale(${n(s.module)})" d="${d}" fill="#000000" shape-rendering="crispEdges"/>`
    }
  }
}

/** User text goes into element content and attributes: escape all five XML specials. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
}

function n(v: number): string {
  return String(Math.round(v * 1000) / 1000)
}
