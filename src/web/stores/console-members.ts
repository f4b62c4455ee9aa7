/** A merchant's owners and managers (owners manage them), and the audit log of everyone's changes. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AuditEntryDto, MemberDto, MemberRole } from '../../shared/api/console.ts'
import { deleteMember, fetchAudit, fetchMembers, patchMember, postMemberInvite } from '../api/console.ts'

export const useConsoleMembersStore = defineStore('console-members', () => {
  const list = ref<MemberDto[] | null>(null)

  async function load(merchantId: string) {
    list.value = null
    list.value = (await fetchMembers(merchantId)).members
  }

  const invite = (merchantId: string) => postMemberInvite(merchantId)

  /** The answer is the member as changed: the row is replaced in place, so the list never blinks empty. */
  async function setRole(merchantId: string, m: MemberDto, role: MemberRole) {
    const { member } = await patchMember(merchantId, m.id, role)
    list.value = (list.value ?? []).map(x => (x.id === member.id ? member : x))
  }

  async function remove(merchantId: string, m: MemberDto) {
    await deleteMember(merchantId, m.id)
    list.value = (list.value ?? []).filter(x => x.id !== m.id)
  }

  return { list, load, invite, setRole, remove }
})

export const useConsoleAuditStore = defineStore('console-audit', () => {
  const entries = ref<AuditEntryDto[] | null>(null)
  const next = ref<string | null>(null)

  async function load(merchantId: string) {
    entries.value = null
    const page = await fetchAudit(merchantId)
    entries.value = page.entries
    next.value = page.next
  }

  async function more(merchantId: string) {
    if (!next.value) return
    const page = await fetchAudit(merchantId, next.value)
    entries.value = [...(entries.value ?? []), ...page.entries]
    next.value = page.next
  }

  return { entries, next, load, more }
})
