/** A single toast line, shown by pages (stores never toast). */
import { ref } from 'vue'

export const toastText = ref('')
let timer: ReturnType<typeof setTimeout> | undefined

export function showToast(text: string, ms = 2200): void {
  toastText.value = text
  clearTimeout(timer)
  timer = setTimeout(() => {
    toastText.value = ''
  }, ms)
}
