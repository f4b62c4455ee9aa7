/** How this Kaquan's WeChat Pay (商家券) is set up, for the console's 微信支付 panel: read live each time it is opened. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConsoleWechatPayDto } from '../../shared/api/console.ts'
import { fetchWechatPay } from '../api/console.ts'

export const useConsoleWechatPayStore = defineStore('console-wechat-pay', () => {
  const status = ref<ConsoleWechatPayDto | null>(null)
  const loading = ref(false)

  async function load(merchantId: string): Promise<ConsoleWechatPayDto> {
    loading.value = true
    try {
      status.value = (await fetchWechatPay(merchantId)).wechatPay
      return status.value
    } finally {
      loading.value = false
    }
  }

  return { status, loading, load }
})
