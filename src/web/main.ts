import { createWebHistory } from 'vue-router'
import type { InitialState } from '../shared/api/site.ts'
import { createKaquanApp } from './app.ts'
import { loadLocale } from './i18n/index.ts'
import { recordLandingUrl } from './wechat/config.ts'
import { installWeChat } from './wechat/index.ts'
import './styles.css'

// iOS WeChat verifies wx.config against the URL the page landed on: read it before the router runs.
recordLandingUrl(location.href)
const state = JSON.parse(document.getElementById('kq-state')?.textContent ?? 'null') as InitialState | null
const root = document.getElementById('app')!
// Landing pages arrive rendered: hydrate them. Other pages arrive as an empty shell.
const ssr = root.firstElementChild !== null
const lang = new URLSearchParams(location.search).get('lang')
// Chinese is in the entry; English is fetched first when asked for, so hydration matches the server's HTML.
void loadLocale(lang).then(() => {
  const { app, router } = createKaquanApp(
    state ?? { meta: { sandbox: false, appId: '' }, user: null },
    createWebHistory(),
    { ssr, lang },
  )
  installWeChat(router)
  return router.isReady().then(() => app.mount(root))
})
