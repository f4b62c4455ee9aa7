/** The only place the web app calls fetch. Errors arrive as ApiError with the server's code. */
import type { ErrorBody, ErrorCode } from '../../shared/errors.ts'
import { t } from '../i18n/index.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly loginUrl?: string,
    readonly raw: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', t('networkDown'))
  }
  if (res.status === 204) return undefined as T
  const data = await res.json().catch(() => null)
  if (!res.ok) {
    const e = (data as ErrorBody | null)?.error
    throw new ApiError(
      res.status,
      e?.code ?? 'internal',
      e?.message ?? t('serverDown'),
      e?.loginUrl,
      (e ?? {}) as Record<string, unknown>,
    )
  }
  return data as T
}
