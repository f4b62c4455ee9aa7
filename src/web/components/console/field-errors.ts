/** Field messages for console forms, from the shared schema in the browser or the server's 400 `issues`: one shape for both. */
import { ApiError } from '../../api/client.ts'

export type FieldErrors = Record<string, string>

/** Issues keyed by the top-level field they belong to (`validity.days` → validity), first message first. */
export function fieldErrors(issues: readonly { field: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {}
  for (const i of issues) {
    const key = i.field.split('.')[0] || 'form'
    out[key] ??= i.message
  }
  return out
}

/** A failed safeParse's issues in the server's shape. */
export function schemaErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  return fieldErrors(issues.map(i => ({ field: i.path.map(String).join('.'), message: i.message })))
}

/** What a 400 from the server says, field by field (the first bad field alone when it lists no issues). */
export function serverErrors(body: { field?: string; message: string; issues?: { field: string; message: string }[] }) {
  return fieldErrors(body.issues ?? (body.field ? [{ field: body.field, message: body.message }] : []))
}

/** The fields a refused save marks (a 400 invalid_request), or null when the refusal is not about fields. */
export function refusedFields(e: unknown): FieldErrors | null {
  return e instanceof ApiError && e.body?.code === 'invalid_request' ? serverErrors(e.body) : null
}
