/**
 * The funnel merchants read, under /api/console/merchants/:mid: `funnel` (JSON) and `funnel.csv`
 * (the same query and the same rows, UTF-8 with a BOM so Excel opens it). Every filter must be the
 * merchant's own: another merchant's offer, store or channel is a 404, as anywhere under :mid.
 */
import type { FastifyInstance } from 'fastify'
import { type FunnelResponse, funnelQuery } from '../../shared/api/analytics.ts'
import { merchantParams } from '../../shared/api/console.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { requireMember } from '../merchants/guard.ts'
import { funnelCsv } from './funnel.ts'
import { merchantFunnel } from './service.ts'

export function consoleFunnelRoutes(app: FastifyInstance, deps: Deps): void {
  const base = '/api/console/merchants/:mid'

  app.get(`${base}/funnel`, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    const q = parse(funnelQuery, request.query, 'query')
    return (await merchantFunnel(deps.db, mid, q)) satisfies FunnelResponse
  })

  app.get(`${base}/funnel.csv`, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    const q = parse(funnelQuery, request.query, 'query')
    const csv = funnelCsv(await merchantFunnel(deps.db, mid, q), q.groupBy)
    const name = `funnel-${q.groupBy}-${q.from}-${q.to}.csv`
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store')
      .send(csv)
  })
}
