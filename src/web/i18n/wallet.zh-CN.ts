/** What the page says about WeChat's card wallet and WeChat's failures: a short line and the next step. */
export const walletZhCN = {
  cancelled: '已取消，券仍在“我的券”中，可直接到店出示',
  updateWeChat: '当前微信版本过低，请升级微信后重试',
  configFailed: '微信接口初始化失败，请稍后重试',
  noWalletPermission: '商家暂未开通微信卡包，可直接到店出示券码',
  timeout: '微信响应超时，请重试',
  alreadyInWallet: '这张券已在卡包中',
  addFailed: '添加失败，可直接到店出示券码',
  inWalletShowCode: '已在微信卡包中，也可直接出示此码',
  inWalletBusifavor: '已在微信卡包（我-卡包-券），也可直接出示此码',
  openInWeChat: '在微信中打开可添加到卡包；到店出示此码即可使用',
  addCancelled: '已取消添加，可再次添加，或直接到店出示此码',
  walletUnsupported: '当前微信版本不支持卡包，到店出示此码即可使用',
}
export type WalletMessages = typeof walletZhCN
