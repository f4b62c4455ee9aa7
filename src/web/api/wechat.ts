import type { JssdkConfigResponse } from '../../shared/api/wechat.ts'
import { request } from './client.ts'

export type { JssdkConfigResponse } from '../../shared/api/wechat.ts'

export const fetchJssdkConfig = (url: string) => request<JssdkConfigResponse>('POST', '/api/jssdk/config', { url })
