import { renderToString } from 'vue/server-renderer'
import { createMemoryHistory } from 'vue-router'
import type { InitialState } from '../shared/api/site.ts'
import { createKaquanApp } from './app.ts'
import { english } from './i18n/english.ts'
import { provideEnglish, setLocale } from './i18n/index.ts'

provideEnglish(english)

/** Renders a landing page to HTML with the state the server inlines next to it. */
export async function render(url: string, state: InitialState): Promise<string> {
  const lang = new URL(url, 'http://x').searchParams.get('lang')
  const { app, router } = createKaquanApp(state, createMemoryHistory(), { ssr: true, lang })
  await router.push(url)
  await router.isReady()
  // The locale is module state and renders interleave at the awaits above: set it again right
  // before rendering, whose synchronous pass (no async components here) reads every message.
  setLocale(lang)
  return renderToString(app)
}
