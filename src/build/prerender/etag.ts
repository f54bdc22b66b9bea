import { createHash } from 'node:crypto'

/** Strong ETag of some bytes: 27 characters of base64url SHA-256, quoted. */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
}
