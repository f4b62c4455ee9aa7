/**
 * What a page shows while it fetches what it shows: loading (nothing to show yet), an error
 * line with a retry, missing (a 404, or what the page counts as one), empty, or the content.
 * A 401 sends the browser through WeChat's silent login and back to the page, from here only.
 */
import { computed, ref } from 'vue'
import { loginPath } from '../../shared/routes.ts'
import { ApiError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'

export type PageView = 'missing' | 'error' | 'loading' | 'empty' | 'content'

export interface PageLoadOptions<T> {
  /** What the page shows, null or undefined until it has loaded. */
  data: () => T | null | undefined
  empty?: (data: T) => boolean
  /** Known missing from the start: the server said so while rendering the landing page. */
  missing?: boolean
  /** Error codes that mean "nothing here for this person" rather than a failure; a 404 always does. */
  missingCodes?: string[]
  /** A failed refresh leaves the content on screen (a page that polls): only a first load shows the error. */
  keepContent?: boolean
  /** The error line; by default the API error code in words. */
  message?: (e: unknown) => string
}

export function usePageLoad<T>(fetch: () => Promise<unknown>, o: PageLoadOptions<T>) {
  const missing = ref(o.missing ?? false)
  const error = ref('')
  const view = computed<PageView>(() => {
    const data = o.data()
    if (missing.value) return 'missing'
    if (error.value) return 'error'
    if (data == null) return 'loading'
    return o.empty?.(data) ? 'empty' : 'content'
  })

  /** Puts a failure on the right screen; a page's other fetches (a clerk's store switch) report theirs here too. */
  function fail(e: unknown) {
    // Back to where the browser is: the router has already put the page's path in the address bar.
    if (e instanceof ApiError && e.code === 'unauthenticated')
      window.location.href = e.loginUrl ?? loginPath(location.pathname + location.search)
    else if (e instanceof ApiError && (e.status === 404 || o.missingCodes?.includes(e.code))) missing.value = true
    else if (!o.keepContent || o.data() == null)
      error.value = o.message ? o.message(e) : errorText((e as ApiError).code ?? 'network')
  }

  async function load() {
    error.value = ''
    try {
      await fetch()
      missing.value = false
    } catch (e) {
      fail(e)
    }
  }

  return { view, error, load, fail }
}
