/** WeChat web login and the session's user. */
import { z } from 'zod'

export const loginQuery = z
  .object({
    scope: z.enum(['snsapi_base', 'snsapi_userinfo']).default('snsapi_base'),
    return: z.string().max(2000).default('/'),
  })
  .strict()

/** WeChat appends its own parameters to the callback; only these two are read. */
export const callbackQuery = z
  .object({
    code: z.string().min(1).max(512).optional(),
    state: z.string().max(512).optional(),
  })
  .passthrough()

export interface UserDto {
  id: string
  openid: string
  nickname: string | null
  avatarUrl: string | null
  /** A WeChat snapshot-page (快照页) virtual user: may browse, may not claim. */
  isSnapshot: boolean
}

export interface MeResponse {
  user: UserDto
}
