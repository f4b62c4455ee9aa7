/**
 * Coupon codes: 16 digits, the last a Damm check digit. Damm catches every single-digit
 * typo and every swap of two neighbours, the two mistakes a clerk makes on a keypad.
 * The same string is the API's code, the QR code, the barcode and the wallet's cardExt.code.
 */
export const CODE_LENGTH = 16

const damm = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]

export function checkDigit(digits: string): number {
  let interim = 0
  for (const ch of digits) interim = damm[interim]![ch.charCodeAt(0) - 48]!
  return interim
}

/**
 * Builds a code from random digits supplied by the caller (the server uses a CSPRNG).
 * The first digit is never 0, so no system that treats the code as a number drops it.
 */
export function makeCode(randomDigit: () => number): string {
  let body = String(1 + (randomDigit() % 9))
  while (body.length < CODE_LENGTH - 1) body += String(randomDigit() % 10)
  return body + checkDigit(body)
}

/** Strips spaces and dashes a person may type or a scanner may add. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '')
}

export function isWellFormedCode(code: string): boolean {
  return /^[1-9]\d+$/.test(code) && code.length === CODE_LENGTH && checkDigit(code) === 0
}

/** "1234 5678 9012 3456": grouping is for display only. */
export function groupCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ')
}
