/**
 * A Kaquan server in a process of its own (`src/server/main.ts`, as `npm start` runs it), for
 * tests where several processes share one database: SQLite's file locks and the caches' cross-
 * process invalidation only show between real processes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { freePort } from './app.ts'

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', d => {
    out += d
  })
  child.stderr!.on('data', d => {
    out += d
  })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server process exited: ${out}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server process did not start: ${out}`)
    }
    await new Promise(r => setTimeout(r, 100))
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
