import { renderToString } from 'vue/server-renderer'
import { createMemoryHistory } from 'vue-router'
import type { InitialState } from '../shared/api/site.ts'
import { createKaquanApp } from './app.ts'

/** Renders a landing page to HTML with the state the server inlines next to it. */
export async function render(url: string, state: InitialState): Promise<string> {
  const lang = new URL(url, 'http://x').searchParams.get('lang')
  const { app, router } = createKaquanApp(state, createMemoryHistory(), { ssr: true, lang })
  await router.push(url)
  await router.isReady()
  return renderToString(app)
}
