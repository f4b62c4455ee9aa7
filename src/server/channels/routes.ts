/**
 * The console's channels, under /api/console/merchants/:mid/channels: list with each channel's
 * funnel totals, create, read one, and its print-ready poster as PNG (300 dpi) or PDF, A5 or A4.
 */
import type { FastifyInstance } from 'fastify'
import {
  type ChannelResponse,
  type ChannelsResponse,
  channelInput,
  channelParams,
  posterQuery,
} from '../../shared/api/channels.ts'
import { merchantParams } from '../../shared/api/console.ts'
import type { Deps } from '../deps.ts'
import { notFound, parse } from '../http/errors.ts'
import { requireMember } from '../merchants/guard.ts'
import { renderPosterPdf, renderPosterPng } from './poster.ts'
import { posterDisposition, posterInputOf } from './poster-data.ts'
import { channelRowOf, channelUrl, createChannel, getChannel, listChannels } from './service.ts'

export function consoleChannelRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock, config } = deps
  const base = '/api/console/merchants/:mid/channels'

  app.get(base, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { channels: await listChannels(deps, mid) } satisfies ChannelsResponse
  })

  app.post(base, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const input = parse(channelInput, request.body, 'body')
    const channel = await createChannel(deps, { merchantId: mid, actorId: user.id }, input, clock.now())
    return reply.status(201).send({ channel } satisfies ChannelResponse)
  })

  app.get(`${base}/:id`, async request => {
    const { mid, id } = parse(channelParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { channel: await getChannel(deps, mid, id) } satisfies ChannelResponse
  })

  for (const ext of ['png', 'pdf'] as const) {
    app.get(`${base}/:id/poster.${ext}`, async (request, reply) => {
      const { mid, id } = parse(channelParams, request.params, 'params')
      await requireMember(deps, request, mid)
      const { size } = parse(posterQuery, request.query, 'query')
      const channel = await channelRowOf(db, mid, id)
      // A share channel is a link for chats: it has a QR code in the console, not a poster.
      if (channel.kind !== 'poster') throw notFound('poster')
      const input = await posterInputOf(db, mid, channel, channelUrl(config.publicUrl, channel))
      const file = ext === 'png' ? await renderPosterPng(input, size) : await renderPosterPdf(input, size)
      return (
        reply
          .type(ext === 'png' ? 'image/png' : 'application/pdf')
          .header('content-disposition', posterDisposition(channel, size, ext))
          // A member's poster: never in a shared cache; a rename shows up within minutes.
          .header('cache-control', 'private, max-age=300')
          .send(file)
      )
    })
  }
}
