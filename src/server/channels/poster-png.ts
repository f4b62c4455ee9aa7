/**
 * SVG → PNG with resvg, off the event loop (renderAsync runs on libuv's thread pool: an A4 page
 * at 300 dpi is 8.7 million pixels). resvg writes no physical size, so a pHYs chunk is added after
 * IHDR, as the PNG spec requires (it must come before the first IDAT): print dialogs then size the
 * page right instead of assuming 72 or 96 dpi. PNG specification, section 11.3.5.3 "pHYs".
 */
import { renderAsync } from '@resvg/resvg-js'
import encodeChunks from 'png-chunks-encode'
import extractChunks from 'png-chunks-extract'
import { fontFamily, fontFiles } from './poster-font.ts'

export async function svgToPng(svg: string, dpi: number): Promise<Buffer> {
  const image = await renderAsync(svg, {
    // Only our font: the output must not depend on what the machine happens to have installed.
    font: { loadSystemFonts: false, fontFiles: [fontFiles[400], fontFiles[700]], defaultFontFamily: fontFamily },
    fitTo: { mode: 'original' },
    logLevel: 'error',
  })
  return withResolution(image.asPng(), dpi)
}

function withResolution(png: Buffer, dpi: number): Buffer {
  const chunks = extractChunks(png).filter(c => c.name !== 'pHYs')
  const perMetre = Math.round(dpi / 0.0254)
  const data = new Uint8Array(9)
  const view = new DataView(data.buffer)
  view.setUint32(0, perMetre)
  view.setUint32(4, perMetre)
  view.setUint8(8, 1) // unit: the metre
  chunks.splice(1, 0, { name: 'pHYs', data })
  return Buffer.from(encodeChunks(chunks))
}
