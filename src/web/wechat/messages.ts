/** Every WeChat failure as a short line (i18n/wallet.*) and the next step; never the SDK's raw string, no use to a user. */
import { tw } from '../i18n/wallet.ts'

export interface WxFailure {
  message: string
  next: 'retry' | 'show_code' | 'open_in_wechat' | 'update_wechat'
}

export function describeWxError(errMsg: string | undefined): WxFailure {
  const m = (errMsg ?? '').toLowerCase()
  if (m.endsWith(':cancel')) return { message: tw('cancelled'), next: 'show_code' }
  if (m.includes('function not exist') || m.includes('function_not_exist'))
    return { message: tw('updateWeChat'), next: 'update_wechat' }
  if (
    m.includes('invalid signature') ||
    m.includes('invalid url domain') ||
    m.includes('offline verifying') ||
    m.includes('config')
  )
    return { message: tw('configFailed'), next: 'retry' }
  if (m.includes('permission denied')) return { message: tw('noWalletPermission'), next: 'show_code' }
  if (m.includes('timeout')) return { message: tw('timeout'), next: 'retry' }
  if (m.includes('code has been received') || m.includes('code_has_been_received'))
    return { message: tw('alreadyInWallet'), next: 'show_code' }
  return { message: tw('addFailed'), next: 'show_code' }
}
