import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Two builds into one dist/client: the consumer app (index.html, whose landing pages are budgeted
// in gzip bytes) and, with `--mode console`, the merchant console (console.html). Separate builds,
// so the console's UI library can't pull parts of Vue into the chunk every landing page loads.
export default defineConfig(({ mode }) => ({
  plugins: [vue()],
  // The consumer app (and the bare stack it is weighed against) is all <script setup>: drop Vue's
  // options API from its runtime. The console keeps it, for its UI library's components.
  define: mode === 'production' ? { __VUE_OPTIONS_API__: 'false' } : {},
  build: {
    outDir: 'dist/client',
    emptyOutDir: mode !== 'console',
    rollupOptions: { input: mode === 'console' ? 'console.html' : 'index.html' },
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
}))
