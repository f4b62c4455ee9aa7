/** One factory for the browser and the server renderer, so both build the same app from the same state. */
import { createPinia } from 'pinia'
import { createApp, createSSRApp } from 'vue'
import type { RouterHistory } from 'vue-router'
import type { InitialState } from '../shared/api/site.ts'
import App from './App.vue'
import { setLocale } from './i18n/index.ts'
import { createKaquanRouter } from './router.ts'
import { useOffersStore } from './stores/offers.ts'
import { useSessionStore } from './stores/session.ts'

export function createKaquanApp(
  state: InitialState,
  history: RouterHistory,
  opts: { ssr: boolean; lang?: string | null },
) {
  setLocale(opts.lang)
  const app = opts.ssr ? createSSRApp(App) : createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  useSessionStore(pinia).init(state)
  useOffersStore(pinia).init(state)
  const router = createKaquanRouter(history)
  app.use(router)
  return { app, router, pinia }
}
