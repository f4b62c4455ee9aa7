/** The few expressions the engines spell differently, so queries elsewhere stay engine-free. */
import { type RawBuilder, sql } from 'kysely'
import type { Engine } from './index.ts'

/** The China day (UTC+8) of an epoch-seconds column, as YYYY-MM-DD text. */
export function chinaDayOf(engine: Engine, column: string): RawBuilder<string> {
  return engine === 'sqlite'
    ? sql<string>`strftime('%Y-%m-%d', ${sql.ref(column)} + 28800, 'unixepoch')`
    : sql<string>`to_char(to_timestamp(${sql.ref(column)} + 28800) at time zone 'UTC', 'YYYY-MM-DD')`
}
