/**
 * npm run fuzz [-- --seed=N --requests=N --by-route=1]   (or FUZZ_SEED, FUZZ_REQUESTS)
 * Runs on SQLite, or on PostgreSQL when DATABASE_URL is a postgres:// URL. Exit code 1 on any failure.
 */
import { usingPostgres } from '../helpers/db.ts'
import { report, runFuzz } from './fuzz.ts'

const flags = new Map(
  process.argv
    .slice(2)
    .map(a => /^--([\w-]+)=(.*)$/.exec(a))
    .filter(m => m !== null)
    .map(m => [m[1]!, m[2]!]),
)
const seed = Number(flags.get('seed') ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32))
const requests = Number(flags.get('requests') ?? process.env.FUZZ_REQUESTS ?? 10_000)
if (!Number.isInteger(seed) || !Number.isInteger(requests) || requests < 1) {
  console.error('usage: npm run fuzz -- [--seed=<integer>] [--requests=<count>]')
  process.exit(2)
}

console.log(`fuzz: seed ${seed}, ${requests} requests, ${usingPostgres ? 'PostgreSQL' : 'SQLite'}`)
const started = Date.now()
const result = await runFuzz({ seed, requests, onProgress: n => console.log(`  ${n} sent`) })
console.log(report(result, { byRoute: flags.has('by-route') }))
console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`)
process.exit(result.failures.length > 0 ? 1 : 0)
