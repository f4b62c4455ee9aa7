import { createWebHistory } from 'vue-router'
import type { InitialState } from '../shared/contract.ts'
import { createKaquanApp } from './app.ts'
import './styles.css'

const state = JSON.parse(document.getElementById('kq-state')?.textContent ?? 'null') as InitialState | null
const root = document.getElementById('app')!
// Landing pages arrive rendered: hydrate them. Other pages arrive as an empty shell.
const ssr = root.firstElementChild !== null
const { app, router } = createKaquanApp(
  state ?? { meta: { sandbox: false, appId: '' }, user: null },
  createWebHistory(),
  { ssr, lang: new URLSearchParams(location.search).get('lang') },
)
void router.isReady().then(() => app.mount(root))
