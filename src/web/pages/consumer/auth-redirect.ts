import { loginPath } from '../../../shared/routes.ts'
import { ApiError } from '../../api/client.ts'

/** A page that needs login sends the browser through WeChat's silent login and back here. */
export function redirectIfUnauthenticated(e: unknown, returnPath: string): boolean {
  if (!(e instanceof ApiError) || e.code !== 'unauthenticated') return false
  window.location.href = e.loginUrl ?? loginPath(returnPath)
  return true
}
