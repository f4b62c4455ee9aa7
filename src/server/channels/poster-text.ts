/**
 * Fitting user text (merchant, offer and store names) into a box on the poster: the largest size
 * between max and min at which the text wraps into the box wins; below min, the last line that
 * fits ends in an ellipsis. Nothing is ever drawn outside its box.
 */
import { textWidth, type Weight } from './poster-font.ts'

export interface FitBox {
  weight: Weight
  maxSize: number
  minSize: number
  width: number
  height: number
  /** Line pitch as a multiple of the size. */
  lineHeight: number
  maxLines?: number
}

export interface Fitted {
  size: number
  lines: string[]
}

const steps = 24

export function fitText(text: string, box: FitBox): Fitted {
  const maxLines = box.maxLines ?? Number.POSITIVE_INFINITY
  for (let i = 0; i <= steps; i++) {
    const size = box.maxSize - ((box.maxSize - box.minSize) * i) / steps
    const lines = wrap(text, box.width / size, box.weight)
    if (lines.length <= maxLines && lines.length * size * box.lineHeight <= box.height + 1e-6) return { size, lines }
  }
  const size = box.minSize
  const room = Math.max(1, Math.min(maxLines, Math.floor((box.height + 1e-6) / (size * box.lineHeight))))
  const lines = wrap(text, box.width / size, box.weight)
  const kept = lines.slice(0, room)
  if (lines.length > room) kept[room - 1] = ellipsize(lines.slice(room - 1).join(''), box.width / size, box.weight)
  return { size, lines: kept }
}

// Chinese line-breaking manners (禁则): these never start a line, and these never end one.
const noStart = new Set('，。、；：！？）》」』】〕…—·,.;:!?)]}%’”')
const noEnd = new Set('（《「『【〔([{¥$‘“')
const wordChar = /[\p{Script=Latin}\p{Nd}@#&'_\-+/=~]/u

/** Breakable pieces: one CJK character, or one Latin word with its trailing space; punctuation sticks to its neighbour. */
function tokens(text: string): string[] {
  const out: string[] = []
  let open = ''
  for (const ch of text) {
    const last = out.length - 1
    if (ch === ' ') {
      if (last >= 0) out[last] += ' '
    } else if (noStart.has(ch) && last >= 0 && !open) {
      out[last] += ch
    } else if (noEnd.has(ch)) {
      open += ch
    } else if (wordChar.test(ch) && last >= 0 && !open && /[\p{Script=Latin}\p{Nd}@#&'_\-+/=~.]$/u.test(out[last]!)) {
      out[last] += ch
    } else {
      out.push(open + ch)
      open = ''
    }
  }
  if (open) out.push(open)
  return out
}

/** Greedy wrapping at `width` (in units of the size); a word longer than a line is split by character. */
export function wrap(text: string, width: number, weight: Weight): string[] {
  const lines: string[] = []
  let line = ''
  const fits = (s: string) => textWidth(s.trimEnd(), weight) <= width
  for (const token of tokens(text)) {
    if (fits(line + token)) {
      line += token
      continue
    }
    if (line) lines.push(line.trimEnd())
    line = ''
    for (const ch of fits(token) ? [token] : token) {
      if (line && !fits(line + ch)) {
        lines.push(line.trimEnd())
        line = ''
      }
      line += ch
    }
  }
  if (line.trim()) lines.push(line.trimEnd())
  return lines
}

export function ellipsize(text: string, width: number, weight: Weight): string {
  const chars = [...text.trimEnd()]
  while (chars.length && textWidth(`${chars.join('').trimEnd()}…`, weight) > width) chars.pop()
  return `${chars.join('').trimEnd()}…`
}
