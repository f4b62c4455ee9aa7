/**
 * Processes under test: the Kaquan server (`src/server/main.ts`, as `npm start` runs it), the bare
 * Fastify hello world, and the bench's helpers. Every child is registered, so a failing or
 * interrupted bench stops what it started and nothing else.
 */
import { type ChildProcess, execFileSync, type ForkOptions, fork, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { freePort } from '../tests/helpers/app.ts'

const children = new Set<ChildProcess>()

/** Kills every child still running; for exit paths. */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  children.clear()
}

export function track<T extends ChildProcess>(child: T): T {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** A TypeScript entry point in a process of its own, with an IPC channel. */
export function forkTs(entry: URL, opts: ForkOptions = {}): ChildProcess {
  return track(
    fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...opts }),
  )
}

let ticks = 0
/** CPU time a process has used so far (user + system), in seconds, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  ticks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticks
}

/** Busy and total CPU time of the whole machine so far, in clock ticks summed over cores (/proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  // cpu user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - f[3]! - f[4]!, total }
}

export interface Server {
  url: string
  port: number
  pid: number
  /** The process's stdout and stderr so far (a log file: the server writes as it would in production). */
  output: () => string
  stop: () => Promise<void>
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}:\n${output()}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url}: no answer after ${timeoutMs / 1000} s:\n${output()}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

function started(child: ChildProcess, port: number, logFile: string, readyPath: string): Promise<Server> {
  const url = `http://127.0.0.1:${port}`
  const output = () => readFileSync(logFile, 'utf8')
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  return waitFor(url + readyPath, child, output, 30_000).then(
    () => ({ url, port, pid: child.pid!, output, stop }),
    async err => {
      await stop()
      throw err
    },
  )
}

/** Spawns `args` with its output going to `logFile`, not through the bench's event loop. */
function spawnLogged(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a')
  const child = track(spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd] }))
  closeSync(fd)
  return child
}

/** The environment of the bench itself, minus what would change how a server under test behaves. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const k of Object.keys(env))
    if (/^(LOG_LEVEL|DATABASE_URL|PORT|HOST|PUBLIC_URL|SEED_DEMO|WX|ADMIN_)/.test(k)) delete env[k]
  return env
}

/** A Kaquan server process on `databaseUrl`, in sandbox mode, with the default log level. */
export async function startKaquan(opts: {
  databaseUrl: string
  sessionSecret: string
  logFile: string
}): Promise<Server> {
  const port = await freePort()
  const env = {
    ...cleanEnv(),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: opts.databaseUrl,
    SESSION_SECRET: opts.sessionSecret,
  }
  // BENCH_PROFILE=<dir> writes a CPU profile of each Kaquan server to <dir> when it exits.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  const child = spawnLogged([...profile, '--import', 'tsx', 'src/server/main.ts'], env, opts.logFile)
  return started(child, port, opts.logFile, '/healthz')
}

/** The bare Fastify hello world (bench/servers/hello.mjs), plain JavaScript with no loader. */
export async function startHello(logFile: string): Promise<Server> {
  const port = await freePort()
  const entry = new URL('./servers/hello.mjs', import.meta.url).pathname
  const child = spawnLogged([entry], { ...cleanEnv(), PORT: String(port) }, logFile)
  return started(child, port, logFile, '/')
}
