import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { UserDto } from '../../shared/api/auth.ts'
import type { InitialState, SiteMeta } from '../../shared/api/site.ts'

export const useSessionStore = defineStore('session', () => {
  const meta = ref<SiteMeta>({ sandbox: false, appId: '' })
  const user = ref<UserDto | null>(null)

  function init(state: InitialState) {
    meta.value = state.meta
    user.value = state.user
  }

  return { meta, user, init }
})
