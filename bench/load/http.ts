/**
 * The load generator's HTTP/1.1 response reader: fed whatever bytes a keep-alive socket delivers
 * (half a response, one, several), it reports each complete response's status. Bodies are skipped
 * by length (content-length or chunked), except the start of an error body, where the API's
 * `{"error":{"code":…}}` says why (sold_out, limit_reached) at no cost to the 2xx path.
 */

export interface Response {
  status: number
  /** The error code of a non-2xx JSON body, when it has one. */
  code: string | null
  /** The server said `connection: close`: open a new socket for the next request. */
  close: boolean
}

const CRLF = 0x0d0a
const KEEP_ERROR_BYTES = 2048

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'trailer'

export class ResponseParser {
  private pending: Buffer | null = null
  private state: State = 'head'
  private status = 0
  private close = false
  private left = 0
  private errorBody: Buffer[] | null = null
  private errorBytes = 0

  /** Calls `done` for every response completed by `chunk`. Throws on bytes that aren't HTTP/1.1. */
  feed(chunk: Buffer, done: (r: Response) => void): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    this.pending = null
    let at = 0
    while (at < buf.length) {
      if (this.state === 'head') {
        const end = buf.indexOf('\r\n\r\n', at, 'latin1')
        if (end < 0) break
        this.head(buf.toString('latin1', at, end))
        at = end + 4
        if (this.state === 'head') this.finish(done)
      } else if (this.state === 'body' || this.state === 'chunk-data') {
        const take = Math.min(this.left, buf.length - at)
        this.keep(buf, at, at + take)
        at += take
        this.left -= take
        if (this.left > 0) break
        if (this.state === 'body') this.finish(done)
        else {
          // The CRLF after a chunk's data.
          if (buf.length - at < 2) break
          if (buf.readUInt16BE(at) !== CRLF) throw new Error('malformed chunk: no CRLF after data')
          at += 2
          this.state = 'chunk-size'
        }
      } else {
        const eol = buf.indexOf('\r\n', at, 'latin1')
        if (eol < 0) break
        const line = buf.toString('latin1', at, eol)
        at = eol + 2
        if (this.state === 'trailer') {
          if (line === '') this.finish(done)
          continue
        }
        const size = Number.parseInt(line, 16)
        if (!Number.isFinite(size) || size < 0) throw new Error(`malformed chunk size: ${line.slice(0, 40)}`)
        if (size === 0) this.state = 'trailer'
        else {
          this.left = size
          this.state = 'chunk-data'
        }
      }
    }
    // Copied, so a few leftover bytes don't keep the socket's whole read buffer alive.
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at))
  }

  /** True between responses: nothing half-read. */
  get idle(): boolean {
    return this.state === 'head' && this.pending === null
  }

  private head(text: string): void {
    if (!text.startsWith('HTTP/1.')) throw new Error(`not an HTTP/1.x response: ${text.slice(0, 40)}`)
    this.status = Number(text.slice(9, 12))
    const h = text.toLowerCase()
    this.close = /\r\nconnection:\s*close/.test(h)
    this.errorBody = this.status >= 300 ? [] : null
    this.errorBytes = 0
    // 1xx, 204 and 304 carry no body whatever their headers say (RFC 9112 §6.3).
    if (this.status < 200 || this.status === 204 || this.status === 304) return
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(h)) {
      this.state = 'chunk-size'
      return
    }
    const m = /\r\ncontent-length:\s*(\d+)/.exec(h)
    if (!m) throw new Error('response without content-length or chunked encoding: a keep-alive client cannot frame it')
    this.left = Number(m[1])
    if (this.left > 0) this.state = 'body'
  }

  private keep(buf: Buffer, from: number, to: number): void {
    if (!this.errorBody || this.errorBytes >= KEEP_ERROR_BYTES || to <= from) return
    const slice = buf.subarray(from, Math.min(to, from + KEEP_ERROR_BYTES - this.errorBytes))
    // Copied, so the kept bytes don't keep the socket's whole read buffer alive.
    this.errorBody.push(Buffer.from(slice))
    this.errorBytes += slice.length
  }

  private finish(done: (r: Response) => void): void {
    let code: string | null = null
    if (this.errorBody?.length) {
      const m = /"code"\s*:\s*"([a-z_]+)"/.exec(Buffer.concat(this.errorBody).toString('utf8'))
      code = m ? m[1]! : null
    }
    this.state = 'head'
    this.errorBody = null
    done({ status: this.status, code, close: this.close })
  }
}
