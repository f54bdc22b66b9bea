/**
 * Redirects leave the routes with the headers every response carries. Routes
 * make them with Hono's `c.redirect`, which sets only Location; this gives
 * them `nosniff` and a Location that is a valid URI reference.
 */

/** Characters RFC 3986 (appendix A) allows in a URI reference; `%` is left for existing escapes. */
const NOT_URI_CHARACTER = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu

/**
 * The response with `X-Content-Type-Options: nosniff` and its Location made
 * a valid URI, when it is a redirect; otherwise the response itself. The URL
 * parser that made the Location leaves some characters RFC 3986 forbids (a
 * backtick in the query, for one); they are percent-encoded here.
 */
export function hardenRedirect(response: Response): Response {
  const location = response.headers.get('Location')
  if (location === null || response.status < 300 || response.status > 399) return response
  const headers = new Headers(response.headers)
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('Location', location.replace(NOT_URI_CHARACTER, encodeURIComponent))
  return new Response(null, { status: response.status, headers })
}
