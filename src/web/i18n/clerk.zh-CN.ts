/** The clerk page's messages: they load with its lazy chunk, never with a landing page. */
export const clerkZhCN = {
  notClerk: '你还不是店员，请向商户索取店员邀请链接',
  notClerkHint: '店员邀请链接由商户在后台生成',
  scan: '扫码核销',
  codePlaceholder: '输入券码',
  clear: '清空',
  redeem: '核销',
  codeTooShort: '请输入{n}位券码',
  codeWrong: '券码有误，请核对后重新输入',
  today: '今日核销 · {n}',
  todayNone: '今天还没有核销记录',
  again: '继续核销',
  redeemed: '核销成功',
  redeemedDetail: '{title} · {consumer} · {time}',
  /** WeChat did not answer in time: the redemption stands, and the wallet is updated later. */
  walletPending: '微信卡包未及时响应，已核销，稍后自动同步',
  /** Where a code already used in WeChat's own wallet (no Kaquan store) was redeemed. */
  inWallet: '微信卡包',
  /** A refused redemption by error code: a headline readable at arm's length and one line of detail. */
  refusals: {
    already_redeemed: { headline: '已核销', detail: '' },
    expired: { headline: '已过期', detail: '此券已超过有效期' },
    not_yet_valid: { headline: '未到使用时间', detail: '此券尚未生效' },
    not_valid_at_store: { headline: '本店不可用', detail: '此券只能在指定门店使用' },
    unknown_code: { headline: '无效券码', detail: '请核对券码后重试' },
    other_merchant: { headline: '非本商户券', detail: '这张券不属于本商户' },
    rate_limited: { headline: '操作过于频繁', detail: '错误券码过多，请稍后再试' },
    forbidden: { headline: '无权核销', detail: '你不是这家门店的店员' },
    network: { headline: '网络异常', detail: '请检查网络后重试' },
  } as Record<string, { headline: string; detail: string } | undefined>,
  /** Any other refusal: this headline, and the server's own words or this line. */
  refused: '核销失败',
  refusedDetail: '请稍后重试',
}
export type ClerkMessages = typeof clerkZhCN
