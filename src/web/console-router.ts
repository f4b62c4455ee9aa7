/**
 * The merchant console's route table. The console is its own app, built from console.html in a
 * build of its own: its UI library needs parts of Vue (transitions, teleports) the consumer's
 * landing pages don't, and one build would put those in the Vue chunk every landing page loads.
 */
import { createRouter, type RouteRecordRaw, type RouterHistory } from 'vue-router'
import { pagePaths } from '../shared/routes.ts'

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
        path: pagePaths.consoleChannels,
        name: 'console-channels',
        component: () => import('./pages/console/ChannelsPage.vue'),
      },
      {
        // The chart library is imported by this page alone, so it stays in this lazy chunk.
        path: pagePaths.consoleData,
        name: 'console-data',
        component: () => import('./pages/console/DataPage.vue'),
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

export function createConsoleRouter(history: RouterHistory) {
  return createRouter({
    history,
    routes: [...consoleRoutes, { path: '/console/:rest(.*)*', redirect: pagePaths.console }],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
}
