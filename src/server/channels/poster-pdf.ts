/**
 * The poster's shapes as a one-page PDF with pdfkit: text stays text (the font embedded and
 * subsetted to the glyphs used, so a page is tens of kilobytes, not the font's 8 MB), and the
 * QR code and the accents are vector paths that print sharp at any size.
 */
import PDFDocument from 'pdfkit'
import { fontBytes } from './poster-font.ts'
import { designHeight, designWidth, type Shape } from './poster-layout.ts'

const pointsPerMm = 72 / 25.4

export interface PdfPage {
  /** pdfkit's named size ('A5', 'A4'): ISO 216 in points. */
  name: 'A5' | 'A4'
  widthMm: number
  heightMm: number
  title: string
}

export function shapesToPdf(shapes: Shape[], page: PdfPage): Promise<Buffer> {
  const doc = new PDFDocument({
    size: page.name,
    margin: 0,
    autoFirstPage: true,
    info: { Title: page.title, Creator: 'Kaquan' },
  })
  const done = new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = []
    doc.on('data', (b: Buffer) => parts.push(b))
    doc.on('end', () => resolve(Buffer.concat(parts)))
    doc.on('error', reject)
  })
  doc.registerFont('w400', fontBytes(400))
  doc.registerFont('w700', fontBytes(700))

  const k = Math.min(page.widthMm / designWidth, page.heightMm / designHeight)
  doc.scale(pointsPerMm)
  doc.translate((page.widthMm - designWidth * k) / 2, (page.heightMm - designHeight * k) / 2)
  doc.scale(k)
  for (const s of shapes) draw(doc, s)
  doc.end()
  return done
}

function draw(doc: PDFKit.PDFDocument, s: Shape): void {
  switch (s.kind) {
    case 'rect':
      doc.roundedRect(s.x, s.y, s.w, s.h, s.r).fill(s.fill)
      return
    case 'circle':
      doc.circle(s.cx, s.cy, s.r).fill(s.fill)
      return
    case 'line': {
      const [first, ...rest] = s.points
      doc.moveTo(first![0], first![1])
      for (const [x, y] of rest) doc.lineTo(x, y)
      doc
        .lineWidth(s.width)
        .lineCap(s.dash ? 'butt' : 'square')
        .lineJoin('miter')
      if (s.dash) doc.dash(s.dash[0], { space: s.dash[1] })
      doc.stroke(s.stroke)
      doc.undash()
      return
    }
    case 'text': {
      doc.font(`w${s.weight}`).fillColor(s.fill)
      const widths = s.runs.map(r => doc.fontSize(r.size).widthOfString(r.text))
      let x = s.x - widths.reduce((a, b) => a + b, 0) / 2
      s.runs.forEach((r, i) => {
        doc.fontSize(r.size).text(r.text, x, s.y, { lineBreak: false, baseline: 'alphabetic' })
        x += widths[i]!
      })
      return
    }
    case 'qr':
      for (const r of s.runs) doc.rect(s.x + r.col * s.module, s.y + r.row * s.module, r.len * s.module, s.module)
      doc.fill('#000000')
      return
  }
}
