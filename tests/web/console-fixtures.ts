/** Console API shapes for web tests: the demo café's people and an offer as the console sees it. */
import type { ConsoleMeResponse } from '../../src/shared/api/console.ts'
import type { ConsoleOfferDto } from '../../src/shared/api/offers.ts'
import type { ConsoleStoreDto } from '../../src/shared/api/stores.ts'
import type { Component } from 'vue'
import { useConsoleStore } from '../../src/web/stores/console.ts'
import { freshStores, mountPage } from './mount-page.ts'

const day = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

export function consoleMe(role: 'owner' | 'manager' = 'owner', more: ConsoleMeResponse['memberships'] = []) {
  return {
    user: { id: 'u1', openid: 'o-owner', nickname: '老板', avatarUrl: null, isSnapshot: false },
    memberships: [{ merchant: { id: 'shanchuan', name: '山川咖啡' }, role }, ...more],
  } satisfies ConsoleMeResponse
}

/** What the console layout leaves behind for the page inside it: who is signed in, at which merchant. */
export function signedIn(role: 'owner' | 'manager' = 'owner') {
  const cs = useConsoleStore()
  cs.me = consoleMe(role)
  cs.enter('shanchuan')
}

/** A console page at `path`, on fresh stores, for a member signed in as the layout would leave them. */
export async function openSignedIn(page: Component, path: string, props: Record<string, unknown> = {}) {
  const pinia = freshStores()
  signedIn()
  return (await mountPage(page, path, props, pinia)).wrapper
}

export function consoleOffer(over: Partial<ConsoleOfferDto> = {}): ConsoleOfferDto {
  const now = Date.now()
  return {
    id: 'latte-10off',
    status: 'live',
    version: 3,
    title: '拿铁立减10元',
    kind: 'cash',
    valueFen: 1000,
    thresholdFen: 3000,
    discountPercent: null,
    giftName: null,
    description: '任意拿铁可用',
    rules: ['每单限用一张'],
    stockTotal: 100,
    stockLeft: 60,
    perUserLimit: 1,
    startsAt: iso(now - day),
    endsAt: iso(now + 30 * day),
    validity: { type: 'relative', days: 30 },
    allStores: true,
    storeIds: [],
    wxCardId: null,
    wxStockId: null,
    issued: 0,
    totals: { views: 120, claims: 40, walletAdds: 12, redemptions: 9 },
    createdAt: iso(now - 2 * day),
    updatedAt: iso(now - day),
    ...over,
  }
}

export const nanjing: ConsoleStoreDto = {
  id: 'nanjingxilu',
  name: '南京西路店',
  address: '南京西路 1 号',
  clerkCount: 2,
  createdAt: new Date(0).toISOString(),
}
