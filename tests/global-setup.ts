import { existsSync } from 'node:fs'

/** Server and browser tests run against the built site; `npm test` builds it first. */
export default function setup(): void {
  if (!existsSync('dist/client/index.html') || !existsSync('dist/server/entry-server.js'))
    throw new Error('The site is not built: run `npm run build` (npm test does this) before vitest.')
}
