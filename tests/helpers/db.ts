/**
 * A fresh, migrated database per test file: a SQLite file in a temp folder by default, or,
 * when DATABASE_URL is a postgres:// URL, a new database on that server, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type OpenDatabase, openDatabase } from '../../src/server/db/index.ts'
import { migrateToLatest } from '../../src/server/db/migrate.ts'
import { migrateSandbox } from '../../src/server/sandbox/migrate.ts'

export interface TestDatabase extends OpenDatabase {
  url: string
  drop: () => Promise<void>
}

export const usingPostgres = (process.env.DATABASE_URL ?? '').startsWith('postgres')

/** `sandbox: false` makes a database as a live deployment has it: the product's tables only. */
export async function createTestDatabase(opts: { sandbox?: boolean } = {}): Promise<TestDatabase> {
  const migrate = async (db: OpenDatabase['db']) => {
    await migrateToLatest(db)
    if (opts.sandbox !== false) await migrateSandbox(db)
  }
  if (usingPostgres) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    const name = `kaquan_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${name}`
    const opened = openDatabase(url.toString())
    await migrate(opened.db)
    return {
      ...opened,
      url: url.toString(),
      drop: async () => {
        await opened.close()
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
        await c.connect()
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      },
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'kaquan-test-'))
  const url = `sqlite:${join(dir, 'test.sqlite')}`
  const opened = openDatabase(url)
  await migrate(opened.db)
  return {
    ...opened,
    url,
    drop: async () => {
      await opened.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
