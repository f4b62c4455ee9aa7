import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { ApiError } from '../../src/web/api/client.ts'
import { type PageLoadOptions, usePageLoad } from '../../src/web/composables/usePageLoad.ts'

enableAutoUnmount(afterEach)

/** A page whose fetch answers in turn with what the test lists: data (a list) or an error to throw. */
function page(answers: (string[] | Error)[], opts: Omit<PageLoadOptions<string[]>, 'data'> = {}) {
  const data = ref<string[] | null>(null)
  let fetches = 0
  const fetch = async () => {
    const next = answers[Math.min(fetches++, answers.length - 1)]!
    if (next instanceof Error) throw next
    data.value = next
  }
  let state!: ReturnType<typeof usePageLoad<string[]>>
  const Page = defineComponent({
    setup() {
      state = usePageLoad(fetch, { data: () => data.value, empty: list => list.length === 0, ...opts })
      return () => h('p', state.view.value === 'error' ? `error: ${state.error.value}` : state.view.value)
    },
  })
  const wrapper = mount(Page)
  return {
    shows: () => wrapper.text(),
    load: async () => {
      await state.load()
      await flushPromises()
    },
  }
}

const apiError = (status: number, code: string, loginUrl?: string) =>
  new ApiError(status, code as ApiError['code'], code, loginUrl)

describe('a page while it loads what it shows', () => {
  it('shows loading until the data arrives, then the content', async () => {
    const p = page([['a']])
    expect(p.shows()).toBe('loading')
    await p.load()
    expect(p.shows()).toBe('content')
  })

  it('shows the empty state for an empty answer', async () => {
    const p = page([[]])
    await p.load()
    expect(p.shows()).toBe('empty')
  })

  it('says a failure in words, and the content after a retry', async () => {
    const p = page([apiError(429, 'rate_limited'), ['a']])
    await p.load()
    expect(p.shows()).toBe('error: 操作太频繁，请稍后再试')
    await p.load()
    expect(p.shows()).toBe('content')
  })

  it('says a network failure in words when the error has no code', async () => {
    const p = page([new Error('boom')])
    await p.load()
    expect(p.shows()).toBe('error: 网络不给力，请稍后重试')
  })

  it('shows missing for a 404', async () => {
    const p = page([apiError(404, 'not_found')])
    await p.load()
    expect(p.shows()).toBe('missing')
  })

  it.each([
    ['listed as missing', ['forbidden'], 'missing'],
    ['not listed', undefined, 'error: 当前身份不能进行此操作'],
  ])('shows a refusal %s accordingly', async (_name, missingCodes, shows) => {
    const p = page([apiError(403, 'forbidden')], { missingCodes })
    await p.load()
    expect(p.shows()).toBe(shows)
  })

  it('starts missing when the server already said so', () => {
    expect(page([['a']], { missing: true }).shows()).toBe('missing')
  })

  it('uses the page’s own words for a failure when it has them', async () => {
    const p = page([apiError(500, 'internal')], { message: e => `server said ${(e as ApiError).code}` })
    await p.load()
    expect(p.shows()).toBe('error: server said internal')
  })

  it.each([
    ['keeps the content', true, 'content'],
    ['shows the error', false, 'error: 网络不给力，请稍后重试'],
  ])('%s when a refresh fails, as the page chooses', async (_name, keepContent, shows) => {
    const p = page([['a'], apiError(0, 'network')], { keepContent })
    await p.load()
    await p.load()
    expect(p.shows()).toBe(shows)
  })

  it('sends the browser through login and back to this page on a 401', async () => {
    history.replaceState(null, '', '/me/coupons?tab=redeemed')
    const p = page([apiError(401, 'unauthenticated')])
    await p.load()
    expect(location.pathname + location.search).toBe('/auth/wechat/login?return=%2Fme%2Fcoupons%3Ftab%3Dredeemed')
    expect(p.shows()).toBe('loading')
  })

  it('follows the login URL the server gives with a 401', async () => {
    const p = page([apiError(401, 'unauthenticated', '/auth/wechat/login?return=%2Fclerk')])
    await p.load()
    expect(location.pathname + location.search).toBe('/auth/wechat/login?return=%2Fclerk')
  })
})
