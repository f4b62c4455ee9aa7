/** How a console page runs what a merchant asks for: a message for the outcome, the server's own words for a failure. */
import { MessagePlugin } from 'tdesign-vue-next/es/message'
import { type Ref, ref } from 'vue'
import type { InviteResponse } from '../../../shared/api/admin.ts'
import { consoleError } from '../../i18n/console.ts'

/** Runs `action`; says `done` when it worked and the error when it did not. True when it worked. */
export async function withMessage(action: () => Promise<unknown>, done?: string): Promise<boolean> {
  try {
    await action()
    if (done) void MessagePlugin.success(done)
    return true
  } catch (e) {
    void MessagePlugin.error(consoleError(e))
    return false
  }
}

/** A single-use invite made on request (for InviteLink to show), with the button's busy state. */
export function useInvite(make: () => Promise<InviteResponse>) {
  const invite: Ref<InviteResponse | null> = ref(null)
  const busy = ref(false)
  async function create() {
    busy.value = true
    await withMessage(async () => {
      invite.value = await make()
    })
    busy.value = false
  }
  return { invite, busy, create }
}
