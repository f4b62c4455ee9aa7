import { describe, expect, it } from 'vitest'
import { acceptsGzip } from '../../src/server/site/routes.ts'

describe('Accept-Encoding and gzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['GZIP', true],
    ['*', true],
    ['identity', false],
    ['gzip;q=0', false],
    ['gzip; q=0.0, identity', false],
    ['deflate', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (header, takes) => {
    expect(acceptsGzip(header)).toBe(takes)
  })
})
