/**
 * Who is signed in to the console and for which merchants; the desktop's scan-to-log-in ticket
 * and the phone's answer to it. Pages decide where to go and what to say.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  ConsoleMeResponse,
  LoginTicketDto,
  LoginTicketStatus,
  MembershipDto,
  ScanResponse,
} from '../../shared/api/console.ts'
import {
  fetchConsoleMe,
  fetchLoginTicket,
  postLoginTicket,
  postLogout,
  postScan,
  postScanAnswer,
} from '../api/console.ts'

/** The merchant a browser last worked on, so /console opens it again. */
const LAST_MERCHANT = 'kq-console-merchant'

export const useConsoleStore = defineStore('console', () => {
  const me = ref<ConsoleMeResponse | null>(null)
  const mid = ref<string | null>(null)
  const membership = computed<MembershipDto | null>(
    () => me.value?.memberships.find(m => m.merchant.id === mid.value) ?? null,
  )
  const isOwner = computed(() => membership.value?.role === 'owner')

  async function loadMe(): Promise<ConsoleMeResponse> {
    me.value = await fetchConsoleMe()
    return me.value
  }

  /** Works on this merchant from now on; false when the person is not one of its members. */
  function enter(merchantId: string): boolean {
    mid.value = merchantId
    if (!membership.value) return false
    try {
      localStorage.setItem(LAST_MERCHANT, merchantId)
    } catch {
      // Private browsing may refuse storage: /console then opens the first merchant.
    }
    return true
  }

  /** The merchant /console opens: the last one worked on, else the first. */
  function homeMerchant(): string | null {
    const list = me.value?.memberships ?? []
    let last: string | null = null
    try {
      last = localStorage.getItem(LAST_MERCHANT)
    } catch {}
    return (list.find(m => m.merchant.id === last) ?? list[0])?.merchant.id ?? null
  }

  /** Someone new logged in on this browser: whatever was loaded was another session's. */
  function forget() {
    me.value = null
    mid.value = null
  }

  async function logout() {
    await postLogout()
    me.value = null
    mid.value = null
  }

  return { me, mid, membership, isOwner, loadMe, enter, homeMerchant, forget, logout }
})

/** The desktop's side of scan-to-log-in. */
export const useConsoleLoginStore = defineStore('console-login', () => {
  const ticket = ref<LoginTicketDto | null>(null)
  const status = ref<LoginTicketStatus | null>(null)

  async function start(): Promise<LoginTicketDto> {
    ticket.value = (await postLoginTicket()).ticket
    status.value = ticket.value.status
    return ticket.value
  }

  /** One poll: the ticket's status now (`used`: this browser is logged in). */
  async function poll(): Promise<LoginTicketStatus | null> {
    const id = ticket.value?.id
    if (!id) return null
    const answer = (await fetchLoginTicket(id)).ticket
    // A refresh may have started another ticket while this poll was on its way.
    if (ticket.value?.id === id) status.value = answer.status
    return status.value
  }

  function expire() {
    status.value = 'expired'
  }

  return { ticket, status, start, poll, expire }
})

/** The phone's side: what it is about to confirm, then the answer. */
export const useConsoleScanStore = defineStore('console-scan', () => {
  const scan = ref<ScanResponse | null>(null)
  const answered = ref<'confirm' | 'cancel' | null>(null)

  async function open(token: string): Promise<ScanResponse> {
    answered.value = null
    scan.value = await postScan(token)
    return scan.value
  }

  async function answer(token: string, a: 'confirm' | 'cancel') {
    const r = await postScanAnswer(token, a)
    if (scan.value) scan.value = { ...scan.value, ticket: r.ticket }
    answered.value = a
  }

  return { scan, answered, open, answer }
})
