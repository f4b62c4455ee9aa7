/** Stores as the console manages them: `GET|POST /api/console/merchants/:mid/stores`, `PATCH …/stores/:sid`. */
import { z } from 'zod'
import { idSchema, type StoreDto } from './common.ts'

const name = z.string().trim().min(1, '请填写门店名称').max(30, '门店名称最多30个字')
const address = z.string().trim().min(1, '请填写门店地址').max(100, '地址最多100个字')

export const storeInput = z.object({ name, address }).strict()
export type StoreInput = z.infer<typeof storeInput>
export const storePatch = z.object({ name: name.optional(), address: address.optional() }).strict()
export const consoleStoreParams = z.object({ mid: idSchema, sid: idSchema }).strict()

export interface ConsoleStoreDto extends StoreDto {
  /** Clerks serving this store now (not revoked). */
  clerkCount: number
  createdAt: string
}
export interface ConsoleStoreResponse {
  store: ConsoleStoreDto
}
export interface ConsoleStoresResponse {
  stores: ConsoleStoreDto[]
}
