/**
 * The merchant console's own contract: who is signed in and for which merchants, members and
 * their invites, scan-to-log-in on a desktop, and the audit log. Console routes live under
 * `/api/console/merchants/:mid/`; any `:mid` the caller is not a member of answers 403
 * `forbidden`, and an id under it that belongs to another merchant answers 404. Console writes
 * need the session cookie and a JSON body (`content-type: application/json`). Offers, stores and
 * clerks have their console shapes in their own files (offers.ts, stores.ts, clerks.ts).
 */
import { z } from 'zod'
import type { UserDto } from './auth.ts'
import { idSchema } from './common.ts'

export const merchantParams = z.object({ mid: idSchema }).strict()

export type MemberRole = 'owner' | 'manager'
export const memberRoleSchema = z.enum(['owner', 'manager'], { error: '角色须为店主或店长' })

export interface MembershipDto {
  merchant: { id: string; name: string }
  role: MemberRole
}

/** `GET /api/console/me`: 401 without a session. */
export interface ConsoleMeResponse {
  user: UserDto
  memberships: MembershipDto[]
}

/** `POST /api/console/merchants/:mid/invites` (owner only): a single-use link that makes its opener a member. */
export const memberInviteBody = z.object({ role: z.literal('manager', { error: '只能邀请店长' }) }).strict()

export interface MemberDto {
  id: string
  /** The member's WeChat nickname as the console shows it to colleagues (masked when unknown). */
  name: string
  role: MemberRole
  joinedAt: string
  /** True for the caller's own membership. */
  isMe: boolean
}
export interface MembersResponse {
  members: MemberDto[]
}
export const memberParams = z.object({ mid: idSchema, memberId: idSchema }).strict()
/** `PATCH …/members/:memberId` (owner only): takes effect on that person's next request. */
export const memberPatchBody = z.object({ role: memberRoleSchema }).strict()
/** The answer to that PATCH; `DELETE …/members/:memberId` answers 204. Both refuse to leave no owner (409 `last_owner`). */
export interface MemberResponse {
  member: MemberDto
}

/** `GET /console/join?invite=…`: the member invite link, opened in WeChat or a browser. */
export const memberJoinQuery = z.object({ invite: z.string().max(64) }).strict()

/**
 * Scan-to-log-in (扫码登录). The desktop asks for a ticket and shows `qrUrl` as a QR code; the
 * ticket lives 2 minutes, is single-use and is bound to the desktop browser that asked for it (a
 * cookie set with the answer). A phone that opens `qrUrl` (logging in through WeChat first) sees
 * the ticket and confirms or cancels; the desktop, polling, then gets its session.
 */
export type LoginTicketStatus =
  /** Waiting for a phone to scan. */
  | 'pending'
  /** A phone opened the link and is asking its person to confirm. */
  | 'scanned'
  /** Confirmed on the phone: the desktop's next poll logs it in (and the ticket is used up). */
  | 'confirmed'
  /** The desktop is logged in; the ticket can't be used again. */
  | 'used'
  | 'cancelled'
  | 'expired'

/** `POST /api/console/login-tickets` (no body needed): 201 and the binding cookie. */
export interface LoginTicketDto {
  id: string
  status: LoginTicketStatus
  /** What the QR code holds: `${PUBLIC_URL}/console/scan?t=…`. */
  qrUrl: string
  expiresAt: string
}
export interface LoginTicketResponse {
  ticket: LoginTicketDto
}
export const loginTicketParams = z.object({ ticketId: idSchema }).strict()
/** `GET /api/console/login-tickets/:ticketId` from the desktop that asked (its cookie): the status; `used` means the session cookie is now set. */
export interface LoginTicketStatusResponse {
  ticket: Omit<LoginTicketDto, 'qrUrl'>
}

/** What the phone posts, from the `t` of the link it opened. */
export const scanTokenBody = z.object({ token: z.string().min(16).max(64) }).strict()
/**
 * `POST /api/console/login-tickets/scan` (phone, logged in): marks the ticket scanned and says what
 * the person is about to confirm. `merchants` are the memberships the desktop will get; empty when
 * the person belongs to no merchant (confirming is then refused with 403).
 */
export interface ScanResponse {
  ticket: { id: string; status: LoginTicketStatus; expiresAt: string }
  merchants: { id: string; name: string }[]
  /** A rough description of the desktop browser, e.g. 电脑浏览器 · Chrome · Windows. */
  browser: string
}
/** `POST /api/console/login-tickets/confirm` and `…/cancel` (phone): `{ token }`, answer `{ ticket }`. */

/** An audit entry: who changed what, and the before/after of each changed field. */
export interface AuditEntryDto {
  id: string
  at: string
  actor: { id: string; name: string }
  /** e.g. offer.create, offer.update, offer.status, offer.stock, store.create, store.update, clerk.invite, clerk.revoke, member.invite, member.join, member.role, member.remove */
  action: string
  target: { type: 'offer' | 'store' | 'clerk' | 'member' | 'channel' | 'merchant'; id: string; label: string }
  changes: { field: string; before: unknown; after: unknown }[]
}
/** `GET /api/console/merchants/:mid/audit?before=<entry id>&limit=`: newest first. */
export const auditQuery = z
  .object({ before: idSchema.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict()
export interface AuditResponse {
  entries: AuditEntryDto[]
  /** Pass as `before` for the next page; null at the end. */
  next: string | null
}

/**
 * `GET /api/console/merchants/:mid/wechat-pay` (owners and managers): how this Kaquan's WeChat Pay
 * (商家券) is set up, and what to set where on the merchant platform (pay.weixin.qq.com). WeChat
 * Pay's merchant number is the server's (`WXPAY_MCHID`), the same for every merchant it runs.
 */
export interface ConsoleWechatPayDto {
  /** False without `WXPAY_MCHID`: offers can then link legacy cards only. */
  configured: boolean
  /** WeChat Pay here is the sandbox's stand-in, with its own merchant and keys. */
  sandbox: boolean
  mchid: string | null
  /** Where WeChat Pay must send 商家券 events (COUPON.SEND): `${PUBLIC_URL}/wechatpay/notify`. */
  notifyUrl: string
  /**
   * Whether WeChat Pay sends them there now (read from its callbacks setting, with a short
   * timeout): `unknown` when it could not be asked or did not answer, and when it is not configured.
   */
  registered: 'yes' | 'no' | 'unknown'
  /** The URL WeChat Pay has now, when it answered and one is set. */
  registeredUrl: string | null
  /** Why `registered` is unknown, in a sentence. */
  problem: string | null
  checklist: WechatPayCheckItem[]
}
export interface WechatPayCheckItem {
  /** A stable name for the step, e.g. `apiV3Key`, `notify`. */
  key: string
  /** Where on the merchant platform, e.g. 账户中心 → API安全 → APIv3密钥. */
  place: string
  /** What to do there. */
  what: string
  /** The server's environment variable(s) the value goes in, if any. */
  variable: string | null
  /** A value to enter there or compare with (the notify URL, the mchid, the AppID). */
  value: string | null
  /** done: Kaquan can see it is right; todo: it is missing or wrong; check: Kaquan can't tell, look. */
  state: 'done' | 'todo' | 'check'
}
export interface ConsoleWechatPayResponse {
  wechatPay: ConsoleWechatPayDto
}
