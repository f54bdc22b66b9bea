import { plainErrorResponse } from './error-bodies.ts'

/**
 * Content sent with a request. Nothing on this site takes any: GET and HEAD
 * content "has no generally defined semantics, cannot alter the meaning or
 * target of the request" (RFC 9110 section 9.3.1, 9.3.2), and other methods
 * are refused with 405. So the content is read and thrown away, and the
 * answer is what it would be without it.
 *
 * It must be read: workerd closes the connection once the response is sent,
 * and a request whose content is still unread then ends in a TCP reset that
 * can cut the response short (a GET with a 70 kB body got a truncated feed).
 * Reading is bounded: over MAX_IGNORED_CONTENT_BYTES the answer is 413
 * (section 15.5.14), which lets the server close the connection.
 */

/** The most request content read and ignored; Cloudflare itself accepts 100 MB on the free plan. */
export const MAX_IGNORED_CONTENT_BYTES = 1024 * 1024

function contentTooLarge(request: Request): Response {
  return plainErrorResponse(
    request.method,
    413,
    `Content too large: this site takes no request content, and reads at most ${MAX_IGNORED_CONTENT_BYTES} bytes of it.`,
  )
}

/**
 * Reads and discards the request's content, if it has any; a 413 when there
 * is more than MAX_IGNORED_CONTENT_BYTES of it, otherwise undefined.
 */
export async function discardRequestContent(request: Request): Promise<Response | undefined> {
  if (request.body === null || request.bodyUsed) return undefined
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_IGNORED_CONTENT_BYTES) {
    await request.body.cancel().catch(() => undefined)
    return contentTooLarge(request)
  }
  const reader = request.body.getReader()
  let read = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return undefined
      read += value.byteLength
      if (read > MAX_IGNORED_CONTENT_BYTES) {
        await reader.cancel().catch(() => undefined)
        return contentTooLarge(request)
      }
    }
  } catch {
    // The client went away while sending; the answer no longer matters.
    return undefined
  } finally {
    reader.releaseLock()
  }
}
