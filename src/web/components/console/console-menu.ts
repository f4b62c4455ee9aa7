/**
 * The console's side menu as data: a section is one more row.
 * `pages` are the route names an item is current for; `ownerOnly` items are hidden from managers.
 */
import type { MemberRole } from '../../../shared/api/console.ts'
import { pagePaths } from '../../../shared/routes.ts'

export interface ConsoleMenuItem {
  key: 'menuOffers' | 'menuStores' | 'menuClerks' | 'menuChannels' | 'menuData' | 'menuMembers' | 'menuAudit'
  path: string
  pages: string[]
  ownerOnly?: boolean
}

export const consoleMenu: readonly ConsoleMenuItem[] = [
  {
    key: 'menuOffers',
    path: pagePaths.consoleOffers,
    pages: ['console-offers', 'console-offer-new', 'console-offer'],
  },
  { key: 'menuStores', path: pagePaths.consoleStores, pages: ['console-stores'] },
  { key: 'menuClerks', path: pagePaths.consoleClerks, pages: ['console-clerks'] },
  { key: 'menuChannels', path: pagePaths.consoleChannels, pages: ['console-channels'] },
  { key: 'menuData', path: pagePaths.consoleData, pages: ['console-data'] },
  { key: 'menuMembers', path: pagePaths.consoleMembers, pages: ['console-members'], ownerOnly: true },
  { key: 'menuAudit', path: pagePaths.consoleAudit, pages: ['console-audit'] },
]

export function menuFor(role: MemberRole): ConsoleMenuItem[] {
  return consoleMenu.filter(i => !i.ownerOnly || role === 'owner')
}

/** A console page path for one merchant. */
export function consolePath(path: string, mid: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(name === 'mid' ? mid : (params[name] ?? '')))
}
