import { baseHeaders } from './respond.ts'

/**
 * Requests this site cannot have a document for, refused before routing with
 * the status that says why (RFC 9110 section 15.5, RFC 6585 section 5), a
 * one-line body that never repeats the request, and no caching.
 */

/**
 * The longest request target served, in characters. Every published URL is
 * far shorter (slugs stop at 96 characters); Cloudflare's own limit is 16 KB.
 */
export const MAX_URL_LENGTH = 4096

/** The most header bytes (names and values) served; Cloudflare stops at 32 KB as well. */
export const MAX_HEADER_BYTES = 32 * 1024

function refuse(request: Request, status: number, message: string): Response {
  const headers = baseHeaders('asset')
  headers.set('Content-Type', 'text/plain; charset=utf-8')
  headers.set('Cache-Control', 'no-store')
  return new Response(request.method === 'HEAD' ? null : `${message}\n`, { status, headers })
}

function headerBytes(headers: Headers): number {
  let total = 0
  for (const [name, value] of headers) total += name.length + value.length + 4
  return total
}

/** True when the path has a `%` that does not start a valid UTF-8 escape (RFC 3986 section 2.1). */
function hasBadPercentEncoding(path: string): boolean {
  if (!path.includes('%')) return false
  try {
    decodeURIComponent(path)
    return false
  } catch {
    return true
  }
}

/**
 * The refusal for a request no route could answer well: 414 for an over-long
 * URL, 431 for oversized headers, 400 for a path whose percent-encoding does
 * not decode. Undefined when the request may go on to routing.
 */
export function refuseMalformedRequest(request: Request): Response | undefined {
  const url = new URL(request.url)
  if (url.pathname.length + url.search.length > MAX_URL_LENGTH) {
    return refuse(
      request,
      414,
      `URI too long: this site's addresses are under ${MAX_URL_LENGTH} characters.`,
    )
  }
  if (headerBytes(request.headers) > MAX_HEADER_BYTES) {
    return refuse(request, 431, 'Request header fields too large.')
  }
  if (hasBadPercentEncoding(url.pathname)) {
    return refuse(request, 400, 'Bad request: the address has a malformed %-escape.')
  }
  return undefined
}
