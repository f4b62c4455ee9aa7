import { request } from './client.ts'

export interface JssdkConfigResponse {
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
}

export const fetchJssdkConfig = (url: string) => request<JssdkConfigResponse>('POST', '/api/jssdk/config', { url })
