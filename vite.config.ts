import vue from '@vitejs/plugin-vue'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Everything the consumer entry imports statically goes into one chunk. Left to itself the bundler
 * splits the modules the landing shares with lazy pages into several small chunks, and gzip, which
 * compresses each file on its own, then does worse on the landing's bytes (about 2 KB here). Lazy
 * pages import what they share from this chunk, which is loaded before any of them anyway.
 */
function landingChunk(): { plugin: Plugin; test: (id: string) => boolean } {
  const imports = new Map<string, readonly string[]>()
  let entry: string | null = null
  let reachable: Set<string> | null = null
  const plugin: Plugin = {
    name: 'kaquan-landing-chunk',
    apply: 'build',
    moduleParsed(info) {
      imports.set(info.id, info.importedIds)
      if (info.isEntry && !info.id.endsWith('.html')) entry ??= info.id
      if (info.id.endsWith('/src/web/main.ts')) entry = info.id
    },
  }
  const test = (id: string) => {
    if (!reachable) {
      reachable = new Set()
      const todo = entry ? [entry] : []
      for (let next = todo.pop(); next; next = todo.pop())
        if (!reachable.has(next)) {
          reachable.add(next)
          todo.push(...(imports.get(next) ?? []))
        }
    }
    // The bundler's own helpers (CommonJS interop for the JS-SDK and qrcode) ride along too.
    return reachable.has(id) || id.includes('rolldown/runtime')
  }
  return { plugin, test }
}

// Two builds into one dist/client: the consumer app (index.html, whose landing pages are budgeted
// in gzip bytes) and, with `--mode console`, the merchant console (console.html). Separate builds,
// so the console's UI library can't pull parts of Vue into the chunk every landing page loads.
export default defineConfig(({ mode }) => {
  const landing = landingChunk()
  return {
    plugins: [vue(), ...(mode === 'production' ? [landing.plugin] : [])],
    // The consumer app (and the bare stack it is weighed against) is all <script setup>: drop Vue's
    // options API from its runtime. The console keeps it, for its UI library's components.
    define: mode === 'production' ? { __VUE_OPTIONS_API__: 'false' } : {},
    build: {
      outDir: 'dist/client',
      // No modulepreload polyfill: WeChat's browsers that lack modulepreload still load the landing
      // chunk as the entry's one import, and the polyfill would be a file of its own on every landing.
      modulePreload: { polyfill: false },
      emptyOutDir: mode !== 'console',
      rolldownOptions: {
        input: mode === 'console' ? 'console.html' : 'index.html',
        output: mode === 'production' ? { codeSplitting: { groups: [{ name: 'landing', test: landing.test }] } } : {},
      },
      // Keep maps out of dist: the bench weighs what ships.
      sourcemap: false,
    },
    test: {
      // Server and browser tests share one PostgreSQL server and two cores: run files one after another.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 120_000,
      globalSetup: ['tests/global-setup.ts'],
      projects: [
        { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'happy-dom' } },
        {
          extends: true,
          test: {
            name: 'web',
            include: ['tests/web/**/*.test.ts'],
            environment: 'happy-dom',
            // TDesign's ES build imports each component's CSS: let Vite transform it instead of Node loading it.
            server: { deps: { inline: ['tdesign-vue-next'] } },
          },
        },
        { extends: true, test: { name: 'server', include: ['tests/server/**/*.test.ts'], environment: 'node' } },
        { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node' } },
      ],
    },
  }
})
