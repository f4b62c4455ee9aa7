/** npm start with a database it can't use exits at once and says which setting is wrong, never hangs. */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const start = (databaseUrl: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 30_000,
  })

describe('starting with an unusable database', () => {
  it.each([
    [
      'a SQLite path whose directory can’t be created',
      'sqlite:/proc/kaquan-nope/data.sqlite',
      'sqlite:/proc/kaquan-nope',
    ],
    [
      'a PostgreSQL nobody listens on, with its password kept out of the message',
      'postgres://kq:hunter2@127.0.0.1:1/kq',
      'postgres://kq:***@127.0.0.1:1/kq',
    ],
  ])('exits with a message naming DATABASE_URL for %s', (_label, url, shown) => {
    const r = start(url)
    expect(r.error).toBeUndefined()
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`DATABASE_URL=${shown}`)
    expect(r.stderr).not.toContain('hunter2')
  })
})
