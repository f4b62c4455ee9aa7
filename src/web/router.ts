/**
 * The route table. Landing pages (where chat links and store posters arrive) are in the
 * entry chunk so they render and hydrate at once; everything else is a lazy chunk.
 */
import { createRouter, type RouteRecordRaw, type RouterHistory } from 'vue-router'
import { pagePaths } from '../shared/routes.ts'
import OfferListPage from './pages/consumer/OfferListPage.vue'
import OfferPage from './pages/consumer/OfferPage.vue'
import StorePage from './pages/consumer/StorePage.vue'

/** The merchant console: its own lazy chunks, with TDesign inside them and never on a landing page. */
const consoleRoutes: RouteRecordRaw[] = [
  { path: pagePaths.console, name: 'console', component: () => import('./pages/console/ConsoleHomePage.vue') },
  {
    path: pagePaths.consoleLogin,
    name: 'console-login',
    component: () => import('./pages/console/ConsoleLoginPage.vue'),
  },
  { path: pagePaths.consoleScan, name: 'console-scan', component: () => import('./pages/console/ConsoleScanPage.vue') },
  {
    path: '/console/m/:mid',
    component: () => import('./pages/console/ConsoleLayout.vue'),
    children: [
      { path: '', redirect: to => pagePaths.consoleOffers.replace(':mid', String(to.params.mid)) },
      {
        path: pagePaths.consoleOffers,
        name: 'console-offers',
        component: () => import('./pages/console/OffersPage.vue'),
      },
      {
        path: pagePaths.consoleOfferNew,
        name: 'console-offer-new',
        component: () => import('./pages/console/OfferEditPage.vue'),
      },
      {
        path: pagePaths.consoleOffer,
        name: 'console-offer',
        component: () => import('./pages/console/OfferEditPage.vue'),
        props: true,
      },
      {
        path: pagePaths.consoleStores,
        name: 'console-stores',
        component: () => import('./pages/console/StoresPage.vue'),
      },
      {
        path: pagePaths.consoleClerks,
        name: 'console-clerks',
        component: () => import('./pages/console/ClerksPage.vue'),
      },
      {
        path: pagePaths.consoleMembers,
        name: 'console-members',
        component: () => import('./pages/console/MembersPage.vue'),
      },
      { path: pagePaths.consoleAudit, name: 'console-audit', component: () => import('./pages/console/AuditPage.vue') },
    ],
  },
]

export function createKaquanRouter(history: RouterHistory) {
  return createRouter({
    history,
    routes: [
      { path: pagePaths.offers, name: 'offers', component: OfferListPage },
      { path: pagePaths.offer, name: 'offer', component: OfferPage, props: true },
      { path: pagePaths.store, name: 'store', component: StorePage, props: true },
      { path: pagePaths.myCoupons, name: 'my-coupons', component: () => import('./pages/consumer/CouponListPage.vue') },
      {
        path: pagePaths.myCoupon,
        name: 'my-coupon',
        component: () => import('./pages/consumer/CouponPage.vue'),
        props: true,
      },
      { path: pagePaths.clerk, name: 'clerk', component: () => import('./pages/clerk/ClerkPage.vue') },
      ...consoleRoutes,
      { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/consumer/NotFoundPage.vue') },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
}
