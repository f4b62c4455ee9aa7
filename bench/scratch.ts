/**
 * A scratch database per engine, as tests/helpers/db.ts makes them: a SQLite file in a temp folder,
 * or a fresh PostgreSQL database on 127.0.0.1:5432, created here and dropped at the end. The Kaquan
 * server process migrates and seeds it when it starts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export type Engine = 'sqlite' | 'postgres'

export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export interface Scratch {
  engine: Engine
  /** DATABASE_URL for the server. */
  url: string
  /** What the raw baseline opens: the SQLite file, or the same postgres:// URL. */
  target: string
  drop: () => Promise<void>
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

const OBJECT_IN_USE = '55006'

/**
 * Without force first: a pool that was just ended may still be closing its connections, and a
 * forced drop would kill them, an error event on the pool that nobody is listening to any more.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let i = 0; i < 25; i++) {
    try {
      await admin(`drop database if exists ${name}`)
      return
    } catch (err) {
      if ((err as { code?: string }).code !== OBJECT_IN_USE) throw err
      await new Promise(r => setTimeout(r, 200))
    }
  }
  await admin(`drop database if exists ${name} with (force)`)
}

export async function createScratch(engine: Engine): Promise<Scratch> {
  if (engine === 'postgres') {
    const name = `kaquan_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
    await admin(`create database ${name}`)
    const url = new URL(POSTGRES_ADMIN_URL)
    url.pathname = `/${name}`
    return {
      engine,
      url: url.toString(),
      target: url.toString(),
      drop: () => dropDatabase(name),
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'kaquan-bench-db-'))
  const file = join(dir, 'bench.sqlite')
  return {
    engine,
    url: `sqlite:${file}`,
    target: file,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  }
}
