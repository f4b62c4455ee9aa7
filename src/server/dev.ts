/**
 * npm run dev: Vite's dev server in front on PORT (hot module replacement for src/web), and the
 * API server behind it on PORT+1 in watch mode (restarts when server code changes). Vite proxies
 * every request that isn't one of its own modules to the API server, which renders the landing
 * pages from src/web through Vite (DEV_VITE=1), so they stay server-rendered in development too.
 * The sandbox is on as with npm start; PUBLIC_URL is Vite's address, so OAuth and wx.config work.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'vite'

const port = Number(process.env.PORT ?? 8080)
const apiPort = port + 1
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`
const api = `http://127.0.0.1:${apiPort}`

const server = spawn(
  process.execPath,
  ['--import', 'tsx', '--watch-path=src/server', '--watch-path=src/shared', 'src/server/main.ts'],
  {
    env: { ...process.env, PORT: String(apiPort), HOST: '127.0.0.1', PUBLIC_URL: publicUrl, DEV_VITE: '1' },
    stdio: 'inherit',
  },
)

// Vite's own paths stay with Vite; everything else (pages, /api, /auth, /__wx, /wechat…) goes to the server.
const VITE_OWN = '^/(?!@vite/|@id/|@fs/|src/|node_modules/|__vite|favicon\\.svg).*'
const vite = await createServer({
  server: { port, strictPort: true, host: '127.0.0.1', proxy: { [VITE_OWN]: { target: api, xfwd: false } } },
  appType: 'custom',
})
await vite.listen()
console.log(`\n  npm run dev: open ${publicUrl} (Vite with hot reload; the API server restarts on change)\n`)

const stop = async () => {
  server.kill('SIGTERM')
  await vite.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
