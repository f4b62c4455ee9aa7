/** The console's stores: list with how many clerks serve each, create, rename or move, each write audited. */
import type { ConsoleStoreDto, StoreInput } from '../../shared/api/stores.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import type { StoresTable } from '../db/schema.ts'
import { diff, recordAudit } from '../merchants/audit.ts'
import { newId } from '../random.ts'
import { bumpCatalog } from '../offers/catalog.ts'
import { storeRowOf } from './service.ts'

interface Who {
  merchantId: string
  actorId: string
}

async function dtos(db: Db, stores: StoresTable[]): Promise<ConsoleStoreDto[]> {
  const ids = stores.map(s => s.id)
  const counts = ids.length
    ? await db
        .selectFrom('clerks')
        .select('store_id')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('store_id', 'in', ids)
        .where('revoked_at', 'is', null)
        .groupBy('store_id')
        .execute()
    : []
  return stores.map(s => ({
    id: s.id,
    name: s.name,
    address: s.address,
    clerkCount: Number(counts.find(c => c.store_id === s.id)?.n ?? 0),
    createdAt: isoOf(s.created_at),
  }))
}

export async function listConsoleStores(db: Db, merchantId: string): Promise<ConsoleStoreDto[]> {
  const rows = await db
    .selectFrom('stores')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return dtos(db, rows)
}

const target = (s: { id: string; name: string }) => ({ type: 'store' as const, id: s.id, label: s.name })

export async function createStore(db: Db, who: Who, input: StoreInput, now: number): Promise<ConsoleStoreDto> {
  const row = { id: newId(), merchant_id: who.merchantId, ...input, created_at: now }
  await db.transaction().execute(async trx => {
    await trx.insertInto('stores').values(row).execute()
    await bumpCatalog(trx)
    const changes = diff(null, input, ['name', 'address'])
    await recordAudit(trx, { ...who, action: 'store.create', target: target(row), changes }, now)
  })
  const [dto] = await dtos(db, [row])
  return dto!
}

export async function updateStore(
  db: Db,
  who: Who & { storeId: string },
  patch: Partial<StoreInput>,
  now: number,
): Promise<ConsoleStoreDto> {
  const row = await db.transaction().execute(async trx => {
    const before = await storeRowOf(trx, who.merchantId, who.storeId)
    const after = { ...before, ...patch }
    const changes = diff(before, after, ['name', 'address'])
    if (changes.length === 0) return before
    await trx
      .updateTable('stores')
      .set({ name: after.name, address: after.address })
      .where('id', '=', before.id)
      .execute()
    await bumpCatalog(trx)
    await recordAudit(
      trx,
      { merchantId: who.merchantId, actorId: who.actorId, action: 'store.update', target: target(after), changes },
      now,
    )
    return after
  })
  const [dto] = await dtos(db, [row])
  return dto!
}
