/** A merchant's channels in the console: the list with each one's funnel totals, and new ones. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChannelDto, ChannelInput } from '../../shared/api/channels.ts'
import { fetchChannels, postChannel } from '../api/console.ts'

export const useConsoleChannelsStore = defineStore('console-channels', () => {
  const mid = ref<string | null>(null)
  const list = ref<ChannelDto[] | null>(null)

  async function load(merchantId: string) {
    if (mid.value !== merchantId) list.value = null
    mid.value = merchantId
    const channels = (await fetchChannels(merchantId)).channels
    if (mid.value === merchantId) list.value = channels
    return channels
  }

  async function create(merchantId: string, input: ChannelInput): Promise<ChannelDto> {
    const { channel } = await postChannel(merchantId, input)
    if (mid.value === merchantId) list.value = [channel, ...(list.value ?? [])]
    return channel
  }

  return { list, load, create }
})
