/**
 * The start-up check: `npm start`'s server given a SQLite path whose directory can't be created
 * must exit with a message naming DATABASE_URL, not hang. The server is given a deadline and then
 * killed; either way the bench goes on.
 */
import { spawn } from 'node:child_process'
import { freePort } from '../../tests/helpers/app.ts'
import type { BenchContext } from '../context.ts'
import { track } from '../procs.ts'
import { check, type SectionResult } from '../report.ts'

export const STARTUP = { databaseUrl: 'sqlite:/proc/nope/x.sqlite', timeoutMs: 10_000 }

export async function startupSection(ctx: BenchContext): Promise<SectionResult> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: STARTUP.databaseUrl,
  }
  delete env.LOG_LEVEL
  const t0 = performance.now()
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
  )
  let out = ''
  child.stdout!.on('data', d => {
    out += d
  })
  child.stderr!.on('data', d => {
    out += d
  })
  const code = await new Promise<number | null>(resolve => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve(null)
    }, STARTUP.timeoutMs)
    child.once('exit', c => {
      clearTimeout(timer)
      resolve(c)
    })
  })
  const seconds = (performance.now() - t0) / 1000
  const exited = code !== null
  const named = /DATABASE_URL/.test(out)
  const met = exited && code !== 0 && named
  const firstLine = out.trim().split('\n')[0] ?? ''
  const what = exited
    ? `exited with code ${code} after ${seconds.toFixed(1)} s; ${named ? 'the message names DATABASE_URL' : 'the message does not name DATABASE_URL'}${firstLine ? `: ${firstLine.slice(0, 160)}` : ''}`
    : `still running after ${STARTUP.timeoutMs / 1000} s (a hang): killed${firstLine ? `; it said: ${firstLine.slice(0, 160)}` : ', having said nothing'}`
  ctx.log(`  ${what}`)
  return {
    name: 'startup',
    engine: null,
    text: [
      `START-UP CHECK  DATABASE_URL=${STARTUP.databaseUrl} (a directory that can't be created)`,
      `   ${what}`,
    ].join('\n'),
    targets: [
      check(
        { section: 'startup', engine: null, measure: 'unusable SQLite path: exits naming DATABASE_URL' },
        met,
        seconds,
        's',
        `exit within ${STARTUP.timeoutMs / 1000} s`,
      ),
    ],
    data: { ...STARTUP, exited, code, seconds, namesDatabaseUrl: named, output: out.slice(0, 2000) },
  }
}
