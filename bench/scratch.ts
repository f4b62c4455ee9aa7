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
      drop: () => admin(`drop database if exists ${name} with (force)`),
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
