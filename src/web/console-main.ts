/** The merchant console's browser entry: an app of its own, mounted from the shell the server sends. */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { createWebHistory } from 'vue-router'
import type { InitialState } from '../shared/api/site.ts'
import App from './App.vue'
import { createConsoleRouter } from './console-router.ts'
import { loadLocale } from './i18n/index.ts'
import { useSessionStore } from './stores/session.ts'
import './styles.css'

const state = JSON.parse(document.getElementById('kq-state')?.textContent ?? 'null') as InitialState | null
void loadLocale(new URLSearchParams(location.search).get('lang')).then(() => {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  useSessionStore(pinia).init(state ?? { meta: { sandbox: false, appId: '' }, user: null })
  const router = createConsoleRouter(createWebHistory())
  app.use(router)
  return router.isReady().then(() => app.mount('#app'))
})
