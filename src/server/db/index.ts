/**
 * One data layer, two engines: a SQLite file by default, PostgreSQL when DATABASE_URL
 * says postgres://. Engine-specific setup lives here and nowhere else.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
} from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>
export type Engine = 'sqlite' | 'postgres'

/** The driver underneath Kysely, for the one path that goes around it (db/claim.ts). */
export type Native = { engine: 'sqlite'; sqlite: SQLite.Database } | { engine: 'postgres'; pool: pg.Pool }
const natives = new WeakMap<object, Native>()

/** The native handle of a database opened by openDatabase. */
export function nativeOf(db: Db): Native {
  const n = natives.get(db)
  if (!n) throw new Error('nativeOf: not a database from openDatabase')
  return n
}

export interface OpenDatabase {
  db: Db
  engine: Engine
  close: () => Promise<void>
}

const INT8_OID = 20

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares each query afresh. The
 * same few dozen statements run all day, so keep the compiled ones (bounded, least recently used
 * first out): on the claim path compiling was a fifth of the time.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let stmt = cache.get(text)
      if (stmt) {
        cache.delete(text)
      } else {
        stmt = sqlite.prepare(text)
        if (cache.size >= max) cache.delete(cache.keys().next().value!)
      }
      cache.set(text, stmt)
      return stmt
    },
  }
}

/**
 * mkdir -p that fails instead of spinning: Node's recursive mkdirSync loops forever on some paths
 * it can't create (one under /proc, for one), which made a bad DATABASE_URL hang at start.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = []
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d)
    if (dirname(d) === d) break
  }
  for (const d of missing.reverse()) mkdirSync(d)
}

/**
 * Every SQLite transaction starts as BEGIN IMMEDIATE, taking the write lock up front. A deferred
 * transaction that reads and then writes can't wait for another process's writer: SQLite answers
 * "database is locked" at once instead of honouring busy_timeout. Taking the lock first makes the
 * second process wait its turn, so several processes can share one file.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver()
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'))
    }
    return driver
  }
}

export function openDatabase(url: string): OpenDatabase {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    if (file !== ':memory:') makeDirectory(dirname(resolve(file)))
    const sqlite = new SQLite(file)
    sqlite.pragma('journal_mode = WAL')
    // Several processes may share the file: wait for the writer instead of failing at once.
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
    natives.set(db, { engine: 'sqlite', sqlite })
    return { db, engine: 'sqlite', close: () => db.destroy() }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Times are bigint columns; they fit a JS number for the next 285,000 years.
    types: {
      getTypeParser: (oid: number, format?: any) => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)),
    },
  })
  // An idle connection that dies (PostgreSQL restarted, a failover, an administrator) is an 'error'
  // on the pool; unheard, it would crash the process. The pool drops that client and opens a fresh
  // one on the next query, and a query in flight fails on its own, so there is nothing else to do.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  natives.set(db, { engine: 'postgres', pool })
  return { db, engine: 'postgres', close: () => db.destroy() }
}
