/** How the sandbox's screens (authorize, personas, scan) are sent: HTML a person opens, never JSON. */
import type { FastifyReply } from 'fastify'
import { htmlPage, messagePage } from '../http/page.ts'

/** A screen showing who is who right now: never cached. */
export function sendScreen(reply: FastifyReply, title: string, body: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(htmlPage(title, body))
}

/** A screen that cannot be shown, as WeChat words it (its own error pages answer 200). */
export function sendMessage(reply: FastifyReply, status: number, page: Parameters<typeof messagePage>[0]) {
  return reply.status(status).type('text/html; charset=utf-8').send(messagePage(page))
}

/** The list of sandbox users both persona screens show; each page adds its own rules after it. */
export const personaListCss = `.list{max-width:480px;margin:0 auto;padding:16px 16px 40px}.list h1{font-size:20px;font-weight:500;margin:16px 0 4px}
.list p{color:var(--fg2);font-size:14px;margin:0 0 16px}.cells{background:var(--card);border-radius:8px;overflow:hidden}
.cell{display:flex;align-items:center;gap:12px;padding:12px 16px;border-bottom:1px solid var(--line)}.cell:last-child{border:0}
.av{width:40px;height:40px;border-radius:6px;color:#fff;display:grid;place-items:center;font-size:18px;flex:none}
.who{flex:1;min-width:0}.who b{font-weight:500}.who small{display:block;color:var(--fg2);font-size:12px}
.tag{font-size:12px;color:#07c160;border:1px solid #07c160;border-radius:4px;padding:0 4px;margin-left:6px}
.cell form{margin:0}.mini{min-height:32px;padding:0 12px;border-radius:6px;border:0;font-size:14px}`
