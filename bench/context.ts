/** What sections are given: where to put files, how to log, phase lengths, and per engine the server under test. */
import { randomBytes } from 'node:crypto'
import type { Db } from '../src/server/db/index.ts'
import { addUsers, type BenchUser, cookiesOf } from './fixtures.ts'
import type { Server } from './procs.ts'
import type { Engine, Scratch } from './scratch.ts'

export interface Phase {
  warmupMs: number
  durationMs: number
}

export interface BenchContext {
  tmpDir: string
  log: (s: string) => void
  phase: Phase
}

export interface EngineContext extends BenchContext {
  engine: Engine
  scratch: Scratch
  server: Server
  /** The bench's own connection to the server's database, for fixtures and checks. */
  db: Db
  sessionSecret: string
  /** Users for claims, made once per engine: claim i of a phase is made by user i. */
  users: () => Promise<{ users: BenchUser[]; cookies: string[] }>
}

/** Enough that a phase's claims each have a user of their own, near the raw SQLite rate. */
export const USER_POOL = 60_000

export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function userPool(db: Db, secret: string, log: (s: string) => void) {
  let made: Promise<{ users: BenchUser[]; cookies: string[] }> | null = null
  return () => {
    made ??= (async () => {
      const t0 = performance.now()
      const now = Math.floor(Date.now() / 1000)
      const users = await addUsers(db, USER_POOL, 'bench', now)
      const cookies = cookiesOf(users, secret, now)
      log(`  ${users.length} users with sealed sessions in ${Math.round(performance.now() - t0)} ms`)
      return { users, cookies }
    })()
    return made
  }
}
