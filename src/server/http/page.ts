/**
 * Small server-made pages for browser hops that never reach the web app (a failed login,
 * the sandbox's WeChat screens). WeUI's look, no script.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

export interface PageAction {
  label: string
  href: string
  primary?: boolean
}

export function htmlPage(title: string, body: string, extraHead = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/__page.css">${extraHead}</head>
<body>${body}</body></html>`
}

export function messagePage(opts: {
  title: string
  message: string
  icon?: 'warn' | 'info' | 'success'
  actions?: PageAction[]
}): string {
  const actions = (opts.actions ?? [])
    .map(
      a =>
        `<a class="btn ${a.primary === false ? 'btn-default' : 'btn-primary'}" href="${escapeHtml(a.href)}">${escapeHtml(a.label)}</a>`,
    )
    .join('')
  return htmlPage(
    opts.title,
    `<main class="msg">
<div class="msg-icon msg-icon-${opts.icon ?? 'warn'}" aria-hidden="true"></div>
<h1>${escapeHtml(opts.title)}</h1><p>${escapeHtml(opts.message)}</p>
<div class="msg-actions">${actions}</div></main>`,
  )
}

/** Shared by every server-made page; served at /__page.css. */
export const pageCss = `
:root{--bg:#ededed;--fg:rgba(0,0,0,.9);--fg2:rgba(0,0,0,.5);--card:#fff;--green:#07c160;--red:#fa5151;--line:rgba(0,0,0,.1)}
@media (prefers-color-scheme:dark){:root{--bg:#111;--fg:rgba(255,255,255,.8);--fg2:rgba(255,255,255,.5);--card:#191919;--line:rgba(255,255,255,.1)}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;-webkit-text-size-adjust:100%}
.msg{max-width:480px;margin:0 auto;padding:72px 32px calc(32px + env(safe-area-inset-bottom));text-align:center}
.msg h1{font-size:22px;font-weight:500;margin:24px 0 8px}.msg p{color:var(--fg2);margin:0 0 40px;font-size:15px}
.msg-icon{width:64px;height:64px;border-radius:50%;margin:0 auto;position:relative}
.msg-icon-warn{background:var(--red)}.msg-icon-info{background:#10aeff}.msg-icon-success{background:var(--green)}
.msg-icon-warn:after,.msg-icon-info:after{content:"!";color:#fff;font-size:40px;font-weight:600;line-height:64px;position:absolute;inset:0}
.msg-icon-success:after{content:"✓";color:#fff;font-size:36px;line-height:64px;position:absolute;inset:0}
.msg-actions{display:flex;flex-direction:column;gap:16px;align-items:center}
.btn{display:block;width:184px;min-height:44px;line-height:44px;border-radius:8px;font-size:17px;font-weight:500;text-decoration:none;border:0;cursor:pointer}
.btn-primary{background:var(--green);color:#fff}.btn-primary:active{background:#06ad56}
.btn-default{background:rgba(0,0,0,.05);color:var(--green)}
`
