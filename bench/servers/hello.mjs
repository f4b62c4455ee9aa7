/**
 * Baseline (a): a bare Fastify hello world, logger off, in a process of its own. Plain JavaScript
 * run by node itself, so no loader or transpiler sits between it and the machine.
 */
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/', async () => ({ ok: true }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
const stop = () => app.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
