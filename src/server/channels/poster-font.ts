/**
 * The poster's one typeface, Noto Sans SC (the 2014 "Noto Sans S Chinese" release), in two weights
 * from the npm package @embedpdf/fonts-sc: a fresh `npm install` prints Chinese with no system
 * font. Both weights cover all 6,763 GB2312 hanzi and 20,945 of the 20,992 basic CJK ideographs,
 * so user-typed names don't fall back to tofu. The package is OFL-1.1 (the files' own name table
 * still says Apache-2.0, their first licence); either lets us ship them and embed subsets, and the
 * fonts' OS/2 fsType allows embedding and subsetting. The PNG (resvg) and the PDF (pdfkit) read the
 * same files, and layout measures with them here, so all three agree on where lines break.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { create, type Font } from 'fontkit'

export type Weight = 400 | 700

/** The family name resvg matches; the rest is for a browser showing the SVG without our font. */
export const fontFamily = 'Noto Sans S Chinese'
export const fontFamilyCss = `'${fontFamily}', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`

// The package exports only its metadata module; the fonts sit in fonts/ beside dist/.
const dir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts')

export const fontFiles: Record<Weight, string> = {
  400: join(dir, 'NotoSansHans-Regular.otf'),
  700: join(dir, 'NotoSansHans-Bold.otf'),
}

const loaded = new Map<Weight, { bytes: Buffer; font: Font }>()

function load(weight: Weight) {
  let entry = loaded.get(weight)
  if (!entry) {
    const bytes = readFileSync(fontFiles[weight])
    entry = { bytes, font: create(bytes) as Font }
    loaded.set(weight, entry)
  }
  return entry
}

export function fontBytes(weight: Weight): Buffer {
  return load(weight).bytes
}

/** Width of `text` set at 1 unit, from the font's own advances (no kerning: the CJK face has none to speak of). */
export function textWidth(text: string, weight: Weight): number {
  const { font } = load(weight)
  let units = 0
  for (const ch of text) units += font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth
  return units / font.unitsPerEm
}

/**
 * Drops what the font can't draw (emoji, variation selectors, the rarest ideographs): on paper a
 * missing character reads better than an empty box. Whitespace is folded to single spaces.
 */
export function printable(text: string): string {
  const { font } = load(400)
  let out = ''
  for (const ch of text.replace(/\s+/g, ' ').trim()) {
    if (ch === ' ' || font.hasGlyphForCodePoint(ch.codePointAt(0)!)) out += ch
  }
  return out.replace(/ {2,}/g, ' ').trim()
}
