import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist/client',
    // The landing bundle is budgeted in gzip bytes by the bench; keep maps out of dist.
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
})
