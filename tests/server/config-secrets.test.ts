import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/server/config.ts'
import { withSandboxSecrets } from '../../src/server/sandbox/secrets.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

const made: TestDatabase[] = []
afterAll(async () => {
  for (const d of made) await d.drop()
})
const fresh = async () => {
  const d = await createTestDatabase()
  made.push(d)
  return d
}

describe('the sandbox session secret', () => {
  it('is random per database and kept across restarts', async () => {
    const [a, b] = [await fresh(), await fresh()]
    const first = (await withSandboxSecrets(loadConfig({}), a.db)).sessionSecret
    const again = (await withSandboxSecrets(loadConfig({}), a.db)).sessionSecret
    const other = (await withSandboxSecrets(loadConfig({}), b.db)).sessionSecret
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(again).toBe(first)
    expect(other).not.toBe(first)
  })

  it('is agreed on by processes starting at once', async () => {
    const d = await fresh()
    const secrets = await Promise.all(
      Array.from({ length: 8 }, async () => (await withSandboxSecrets(loadConfig({}), d.db)).sessionSecret),
    )
    expect(new Set(secrets).size).toBe(1)
  })

  it('gives way to SESSION_SECRET when one is set', async () => {
    const d = await fresh()
    const given = 'an-operator-chosen-secret-of-32-chars-or-more'
    expect((await withSandboxSecrets(loadConfig({ SESSION_SECRET: given }), d.db)).sessionSecret).toBe(given)
  })
})
