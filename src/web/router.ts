/**
 * The consumer and clerk app's route table. Landing pages (where chat links and store posters
 * arrive) are in the entry chunk so they render and hydrate at once; everything else is a lazy
 * chunk. The merchant console is a separate app with its own build (console-router.ts).
 */
import { createRouter, type RouterHistory } from 'vue-router'
import { appPaths } from '../shared/routes.ts'
import OfferListPage from './pages/consumer/OfferListPage.vue'
import OfferPage from './pages/consumer/OfferPage.vue'
import StorePage from './pages/consumer/StorePage.vue'

export function createKaquanRouter(history: RouterHistory) {
  return createRouter({
    history,
    routes: [
      { path: appPaths.offers, name: 'offers', component: OfferListPage },
      { path: appPaths.offer, name: 'offer', component: OfferPage, props: true },
      { path: appPaths.store, name: 'store', component: StorePage, props: true },
      { path: appPaths.myCoupons, name: 'my-coupons', component: () => import('./pages/consumer/CouponListPage.vue') },
      {
        path: appPaths.myCoupon,
        name: 'my-coupon',
        component: () => import('./pages/consumer/CouponPage.vue'),
        props: true,
      },
      { path: appPaths.clerk, name: 'clerk', component: () => import('./pages/clerk/ClerkPage.vue') },
      { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/consumer/NotFoundPage.vue') },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
}
