/** The merchant console's calls, typed by the shared contract (shared/api/console.ts, offers.ts, stores.ts, clerks.ts, channels.ts, analytics.ts). */
import type { InviteResponse } from '../../shared/api/admin.ts'
import type { FunnelQuery, FunnelResponse } from '../../shared/api/analytics.ts'
import type { ChannelInput, ChannelResponse, ChannelsResponse } from '../../shared/api/channels.ts'
import type { ConsoleClerksResponse } from '../../shared/api/clerks.ts'
import type {
  AuditResponse,
  ConsoleMeResponse,
  ConsoleWechatPayResponse,
  LoginTicketResponse,
  LoginTicketStatusResponse,
  MemberResponse,
  MemberRole,
  MembersResponse,
  ScanResponse,
} from '../../shared/api/console.ts'
import type { ConsoleOfferResponse, ConsoleOffersResponse, OfferInput, OfferPatch } from '../../shared/api/offers.ts'
import type { ConsoleStoreResponse, ConsoleStoresResponse, StoreInput } from '../../shared/api/stores.ts'
import { request } from './client.ts'

const enc = encodeURIComponent
const under = (mid: string) => `/api/console/merchants/${enc(mid)}`

export const fetchConsoleMe = () => request<ConsoleMeResponse>('GET', '/api/console/me')
export const postLogout = () => request<void>('POST', '/auth/logout')

// Scan-to-log-in: the desktop asks and polls; the phone scans, then confirms or cancels.
export const postLoginTicket = () => request<LoginTicketResponse>('POST', '/api/console/login-tickets', {})
export const fetchLoginTicket = (id: string) =>
  request<LoginTicketStatusResponse>('GET', `/api/console/login-tickets/${enc(id)}`)
export const postScan = (token: string) => request<ScanResponse>('POST', '/api/console/login-tickets/scan', { token })
export const postScanAnswer = (token: string, answer: 'confirm' | 'cancel') =>
  request<Pick<ScanResponse, 'ticket'>>('POST', `/api/console/login-tickets/${answer}`, { token })

export const fetchConsoleOffers = (mid: string) => request<ConsoleOffersResponse>('GET', `${under(mid)}/offers`)
export const fetchConsoleOffer = (mid: string, id: string) =>
  request<ConsoleOfferResponse>('GET', `${under(mid)}/offers/${enc(id)}`)
export const postConsoleOffer = (mid: string, input: OfferInput) =>
  request<ConsoleOfferResponse>('POST', `${under(mid)}/offers`, input)
/** A stale `version` answers 412 version_conflict with the version now stored. */
export const patchConsoleOffer = (mid: string, id: string, patch: OfferPatch, version: number) =>
  request<ConsoleOfferResponse>('PATCH', `${under(mid)}/offers/${enc(id)}`, patch, { 'if-match': String(version) })
export const postStockTopUp = (mid: string, id: string, add: number) =>
  request<ConsoleOfferResponse>('POST', `${under(mid)}/offers/${enc(id)}/stock`, { add })

export const fetchConsoleStores = (mid: string) => request<ConsoleStoresResponse>('GET', `${under(mid)}/stores`)
export const postConsoleStore = (mid: string, input: StoreInput) =>
  request<ConsoleStoreResponse>('POST', `${under(mid)}/stores`, input)
export const patchConsoleStore = (mid: string, sid: string, patch: Partial<StoreInput>) =>
  request<ConsoleStoreResponse>('PATCH', `${under(mid)}/stores/${enc(sid)}`, patch)

export const postClerkInvite = (mid: string, sid: string) =>
  request<InviteResponse>('POST', `${under(mid)}/stores/${enc(sid)}/clerk-invites`, {})
export const fetchConsoleClerks = (mid: string, sid: string) =>
  request<ConsoleClerksResponse>('GET', `${under(mid)}/stores/${enc(sid)}/clerks`)
// Console writes need a JSON body (a cross-site form can't send one), deletes included.
export const deleteConsoleClerk = (mid: string, cid: string) =>
  request<unknown>('DELETE', `${under(mid)}/clerks/${enc(cid)}`, {})

export const postMemberInvite = (mid: string) =>
  request<InviteResponse>('POST', `${under(mid)}/invites`, { role: 'manager' })
export const fetchMembers = (mid: string) => request<MembersResponse>('GET', `${under(mid)}/members`)
export const patchMember = (mid: string, memberId: string, role: MemberRole) =>
  request<MemberResponse>('PATCH', `${under(mid)}/members/${enc(memberId)}`, { role })
export const deleteMember = (mid: string, memberId: string) =>
  request<unknown>('DELETE', `${under(mid)}/members/${enc(memberId)}`, {})

export const fetchAudit = (mid: string, before?: string | null) =>
  request<AuditResponse>('GET', `${under(mid)}/audit${before ? `?before=${enc(before)}` : ''}`)

export const fetchChannels = (mid: string) => request<ChannelsResponse>('GET', `${under(mid)}/channels`)
export const postChannel = (mid: string, input: ChannelInput) =>
  request<ChannelResponse>('POST', `${under(mid)}/channels`, input)

/** The funnel's query string, fields in a fixed order (the CSV link and the JSON ask the same). */
export function funnelSearch(q: FunnelQuery): string {
  const p = new URLSearchParams({ from: q.from, to: q.to, groupBy: q.groupBy })
  if (q.offerId) p.set('offerId', q.offerId)
  if (q.storeId) p.set('storeId', q.storeId)
  if (q.channel) p.set('channel', q.channel)
  return p.toString()
}
export const fetchFunnel = (mid: string, q: FunnelQuery) =>
  request<FunnelResponse>('GET', `${under(mid)}/funnel?${funnelSearch(q)}`)
/** The same query as a CSV download: a link the browser follows, not a fetch. */
export const funnelCsvPath = (mid: string, q: FunnelQuery) => `${under(mid)}/funnel.csv?${funnelSearch(q)}`
export const fetchWechatPay = (mid: string) => request<ConsoleWechatPayResponse>('GET', `${under(mid)}/wechat-pay`)
