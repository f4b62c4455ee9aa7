/** The only place the web app calls fetch. Errors arrive as ApiError with the server's code. */
import type { ApiErrorBody, ErrorBody, ErrorCode } from '../../shared/api/errors.ts'
import { t } from '../i18n/index.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly loginUrl?: string,
    /** The server's error body, typed by code with its extra fields (shared/api/errors.ts). */
    readonly body: ApiErrorBody | null = null,
  ) {
    super(message)
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export async function request<T>(
  method: Method,
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
      e?.code === 'unauthenticated' ? e.loginUrl : undefined,
      e ?? null,
    )
  }
  return data as T
}
