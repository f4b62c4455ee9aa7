/** True at phone width, where the console's menu becomes a top bar and its tables become cards. */
import { onBeforeUnmount, onMounted, ref } from 'vue'

export const NARROW_QUERY = '(max-width: 768px)'

export function useNarrow() {
  const narrow = ref(false)
  let mq: MediaQueryList | undefined
  const update = () => {
    narrow.value = mq?.matches ?? false
  }
  onMounted(() => {
    mq = window.matchMedia?.(NARROW_QUERY)
    update()
    mq?.addEventListener?.('change', update)
  })
  onBeforeUnmount(() => mq?.removeEventListener?.('change', update))
  return narrow
}
