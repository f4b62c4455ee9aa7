/** Every random value the server makes comes from here: a CSPRNG, and one place to look. */
import { randomBytes, randomInt } from 'node:crypto'

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** Letters and digits only, as WeChat's OAuth `state` and nonces require. */
export function randomToken(length = 24): string {
  const bytes = randomBytes(length)
  let out = ''
  // 256 is not a multiple of the alphabet's size; reject the top bytes to stay unbiased.
  for (let i = 0; out.length < length; i++) {
    const b = i < bytes.length ? bytes[i]! : randomInt(256)
    if (b < 256 - (256 % ALNUM.length)) out += ALNUM[b % ALNUM.length]
  }
  return out
}

export function newId(): string {
  return randomToken(16)
}

export function randomDigit(): number {
  return randomInt(10)
}
