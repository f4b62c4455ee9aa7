/** Mounts one page as the app would show it at `path`: the real route table, a fresh Pinia, the page's props. */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, type Pinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { createWebHistory } from 'vue-router'
import { createConsoleRouter } from '../../src/web/console-router.ts'
import { createKaquanRouter } from '../../src/web/router.ts'

export const userAgents = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  safari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
}

/** The phone the page runs on, as the page reads it (navigator.userAgent). */
export function onPhone(userAgent: string): () => void {
  Object.defineProperty(navigator, 'userAgent', { value: userAgent, configurable: true })
  return () => {
    delete (navigator as { userAgent?: string }).userAgent
  }
}

/** A fresh app's stores, before the page mounts, so a test can set what a previous screen left. */
export function freshStores(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

export async function mountPage(
  page: Component,
  path: string,
  props: Record<string, unknown> = {},
  pinia: Pinia = freshStores(),
) {
  // The console is an app of its own, with its own route table.
  const router = (path.startsWith('/console') ? createConsoleRouter : createKaquanRouter)(createWebHistory())
  await router.push(path)
  await router.isReady()
  const wrapper = mount(page, { props, global: { plugins: [pinia, router] } })
  await flushPromises()
  return { wrapper, router }
}
