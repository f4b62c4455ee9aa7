/**
 * The route-table fuzzer, short: about 2,000 requests with a fixed seed, on the engine the
 * suite runs on. `npm run fuzz` runs the long version (10,000 by default, any seed).
 */
import { describe, expect, it } from 'vitest'
import { report, runFuzz } from '../fuzz/fuzz.ts'

describe('the route-table fuzzer', () => {
  it('meets no 5xx and no /api 4xx outside the error shape, on every registered route', async () => {
    const result = await runFuzz({ seed: 20261128, requests: 2000 })
    if (result.failures.length > 0) console.log(report(result))
    expect(result.failures).toEqual([])
    expect(result.sent).toBe(2000)
    // Every route the app registers is read from its table, and each was hit.
    expect(result.routes.length).toBeGreaterThan(90)
    expect(result.routes).toContainEqual({ method: 'POST', url: '/wechat/push' })
    expect(result.routes).toContainEqual({ method: 'POST', url: '/__wx/api/card/code/consume' })
    expect(result.routes).toContainEqual({ method: 'POST', url: '/api/redeem' })
    const missed = result.routes.filter(r => !result.hits.get(`${r.method} ${r.url}`))
    expect(missed).toEqual([])
    // Not only refusals: the mix gets past the first checks too.
    expect(result.histogram.get(200) ?? 0).toBeGreaterThan(200)
    expect(result.histogram.get(400) ?? 0).toBeGreaterThan(200)
  })
})
