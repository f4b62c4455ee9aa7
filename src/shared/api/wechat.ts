/** The JS-SDK's wx.config parameters for one page URL: `POST /api/jssdk/config`. */
import { z } from 'zod'

export const jssdkConfigBody = z.object({ url: z.string().min(1).max(2048) }).strict()

export interface JssdkConfigResponse {
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
}
