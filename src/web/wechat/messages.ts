/** Every WeChat failure as a short Chinese line and the next step; never the SDK's raw string, no use to a user. */
export interface WxFailure {
  message: string
  next: 'retry' | 'show_code' | 'open_in_wechat' | 'update_wechat'
}

export function describeWxError(errMsg: string | undefined): WxFailure {
  const m = (errMsg ?? '').toLowerCase()
  if (m.endsWith(':cancel')) return { message: '已取消，券仍在“我的券”中，可直接到店出示', next: 'show_code' }
  if (m.includes('function not exist') || m.includes('function_not_exist'))
    return { message: '当前微信版本过低，请升级微信后重试', next: 'update_wechat' }
  if (
    m.includes('invalid signature') ||
    m.includes('invalid url domain') ||
    m.includes('offline verifying') ||
    m.includes('config')
  )
    return { message: '微信接口初始化失败，请稍后重试', next: 'retry' }
  if (m.includes('permission denied')) return { message: '商家暂未开通微信卡包，可直接到店出示券码', next: 'show_code' }
  if (m.includes('timeout')) return { message: '微信响应超时，请重试', next: 'retry' }
  if (m.includes('code has been received') || m.includes('code_has_been_received'))
    return { message: '这张券已在卡包中', next: 'show_code' }
  return { message: '添加失败，可直接到店出示券码', next: 'show_code' }
}
