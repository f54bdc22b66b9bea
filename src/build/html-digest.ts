import { createHash } from 'node:crypto'

/**
 * The digest an article's HTML is known by between builds: the SHA-256 of its
 * UTF-8 bytes. The build cache stores it with each entry (compile-cache.ts),
 * so pages and items keyed by it (kept-assets.ts) are kept without reading
 * the HTML back.
 */
export function digestOfHtml(html: Uint8Array | string): string {
  return createHash('sha256').update(html).digest('base64url')
}
