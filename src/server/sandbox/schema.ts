/**
 * The sandbox's own tables: WeChat's side of the world (its users, OAuth codes, tokens, tickets,
 * cards and wallets, faults). They live only in a sandbox database, created by the sandbox's own
 * migrations, and only src/server/sandbox/ knows them.
 */
import type { Db } from '../db/index.ts'

export interface SandboxUsersTable {
  openid: string
  nickname: string
  avatar_color: string
  snapshot: number
  created_at: number
}

export interface SandboxCodesTable {
  code: string
  openid: string
  appid: string
  scope: string
  created_at: number
  used_at: number | null
}

export interface SandboxTokensTable {
  token: string
  appid: string
  endpoint: string
  created_at: number
  expires_at: number
  superseded_at: number | null
}

export interface SandboxTicketsTable {
  ticket: string
  type: string
  created_at: number
  expires_at: number
}

export interface SandboxCallsTable {
  api: string
  count: number
}

export interface SandboxFaultsTable {
  target: string
  mode: string
  remaining: number
}

export interface SandboxCardsTable {
  card_id: string
  title: string
  brand_name: string
  color: string
  created_at: number
}

export interface SandboxWalletTable {
  code: string
  card_id: string
  openid: string
  outer_str: string | null
  status: 'NORMAL' | 'CONSUMED' | 'DELETE'
  added_at: number
  consumed_at: number | null
}

export interface SandboxSettingsTable {
  key: string
  value: string
}

export type SandboxTables = {
  sandbox_users: SandboxUsersTable
  sandbox_codes: SandboxCodesTable
  sandbox_tokens: SandboxTokensTable
  sandbox_tickets: SandboxTicketsTable
  sandbox_calls: SandboxCallsTable
  sandbox_faults: SandboxFaultsTable
  sandbox_cards: SandboxCardsTable
  sandbox_wallet: SandboxWalletTable
  sandbox_settings: SandboxSettingsTable
}

export type SandboxDb = ReturnType<typeof sandboxDb>

/** The product's database seen with the sandbox's tables added. */
export function sandboxDb(db: Db) {
  return db.withTables<SandboxTables>()
}
