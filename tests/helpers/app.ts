/**
 * A real Kaquan server on a free loopback port, on a fresh database, in sandbox mode.
 * The server reaches its WeChat sandbox over real HTTP, as it would reach WeChat.
 */
import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/server/app.ts'
import type { Clock } from '../../src/server/clock.ts'
import { type Config, loadConfig } from '../../src/server/config.ts'
import { seedDemo, seedDemoOwner } from '../../src/server/db/seed.ts'
import { withSandboxSecrets } from '../../src/server/sandbox/secrets.ts'
import { createSandboxCard, createSandboxOwner, createSandboxStock } from '../../src/server/sandbox/seed.ts'
import type { PushHandlers } from '../../src/server/wechat/routes.ts'
import { createTestDatabase, type TestDatabase } from './db.ts'
import { bumpCatalog } from '../../src/server/offers/catalog.ts'

export interface TestApp {
  app: FastifyInstance
  config: Config
  database: TestDatabase
  url: string
  clock: Clock & { set: (s: number) => void; advance: (s: number) => void }
  close: () => Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

export function testClock(start = Math.floor(Date.now() / 1000)) {
  let now = start
  return {
    now: () => now,
    set: (s: number) => {
      now = s
    },
    advance: (s: number) => {
      now += s
    },
  }
}

export async function startTestApp(
  opts: {
    env?: Record<string, string>
    seed?: boolean
    database?: TestDatabase
    clock?: ReturnType<typeof testClock>
    pushHandlers?: PushHandlers
    outboxIntervalMs?: number
    /** Views are written before each page answers unless a test asks for batches. */
    viewFlushMs?: number
  } = {},
): Promise<TestApp> {
  const port = await freePort()
  const database = opts.database ?? (await createTestDatabase())
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
  }
  const config = await withSandboxSecrets(loadConfig({ ...env, ...opts.env }), database.db)
  const clock = opts.clock ?? testClock()
  if (opts.seed !== false && !opts.database) {
    await seedDemo(database.db, clock.now(), {
      wxCardId: await createSandboxCard(database.db, clock.now()),
      wxStockId: await createSandboxStock(database.db, config, clock.now()),
    })
    await seedDemoOwner(database.db, await createSandboxOwner(database.db, clock.now()), clock.now())
  }
  const app = await buildApp({
    config,
    db: database.db,
    engine: database.engine,
    clock,
    pushHandlers: opts.pushHandlers,
    outboxIntervalMs: opts.outboxIntervalMs ?? 0,
    viewFlushMs: opts.viewFlushMs ?? 0,
  })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    app,
    config,
    database,
    url: config.publicUrl,
    clock,
    close: async () => {
      await app.close()
      if (!opts.database) await database.drop()
    },
  }
}

/** Plans a fault in the sandbox: the next `count` calls of `target` answer `mode`. */
export async function planFault(t: TestApp, target: string, mode: string, count = 1): Promise<void> {
  const res = await fetch(`${t.url}/__wx/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target, mode, count }),
  })
  if (res.status !== 204) throw new Error(`planning a fault failed: ${res.status} ${await res.text()}`)
}

/** How many times the sandbox answered each WeChat API. */
export async function wxCalls(t: TestApp): Promise<Record<string, number>> {
  return ((await (await fetch(`${t.url}/__wx/stats`)).json()) as { calls: Record<string, number> }).calls
}

/**
 * After a test writes offers, stores or merchants straight into the database: bump the catalog
 * as the console does, and have this app reload at once instead of within its half second.
 */
export async function touchCatalog(t: TestApp): Promise<void> {
  await bumpCatalog(t.database.db)
  t.app.deps.catalog.invalidate()
}
