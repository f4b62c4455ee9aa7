/** The plumbing of a console form dialog: fresh on each opening, the server's issues shown as they come, checked with the server's schema. */
import { ref, watch } from 'vue'
import type { z } from 'zod'
import { type FieldErrors, schemaErrors } from './field-errors.ts'

export function useDialogForm<T>(
  props: { open: boolean; serverErrors: FieldErrors },
  schema: z.ZodType<T>,
  reset: () => void,
) {
  const errors = ref<FieldErrors>({})
  watch(
    () => props.open,
    open => {
      if (!open) return
      reset()
      errors.value = {}
    },
  )
  watch(
    () => props.serverErrors,
    e => {
      errors.value = e
    },
  )

  /** The input as the schema reads it, or null with each bad field's message shown. */
  function check(value: unknown): T | null {
    const r = schema.safeParse(value)
    errors.value = r.success ? {} : schemaErrors(r.error.issues)
    return r.success ? r.data : null
  }

  return { errors, check }
}
