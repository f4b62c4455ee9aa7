/**
 * The bare stack the landing is weighed against: vue, vue-router, pinia and weixin-js-sdk, each
 * used just enough that the bundler keeps it, and nothing of Kaquan's own.
 */
import { defineStore, createPinia } from 'pinia'
import { createApp, defineComponent, h } from 'vue'
import { createRouter, createWebHistory, RouterView } from 'vue-router'
import wx from 'weixin-js-sdk'

const useOffer = defineStore('offer', { state: () => ({ title: document.title }) })

const Landing = defineComponent({
  setup() {
    const offer = useOffer()
    return () => h('h1', offer.title)
  },
})

const router = createRouter({ history: createWebHistory(), routes: [{ path: '/:rest(.*)*', component: Landing }] })
const app = createApp({ render: () => h(RouterView) })
app.use(createPinia())
app.use(router)
router.afterEach(() => wx.ready(() => {}))
void router.isReady().then(() => app.mount('#app'))
