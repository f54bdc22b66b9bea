/**
 * Redirects leave the routes with the headers every response carries and a
 * Location that cannot leave the site. Routes make them with Hono's
 * `c.redirect`, which sets only Location; this gives them `nosniff` and
 * rewrites the Location to a path on the site itself.
 */

/** Characters RFC 3986 (appendix A) allows in a URI reference; `%` is left for existing escapes. */
const NOT_URI_CHARACTER = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu

/** A scheme at the start of a URI reference (RFC 3986 section 3.1). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/**
 * The Location a redirect may carry: a path-absolute reference (RFC 3986
 * section 4.2), resolved by the client against the URL it asked for, so on
 * this site whatever the Host was. An absolute URL keeps only its path and
 * query. Leading slashes and backslashes collapse to one `/`: `//evil.com`
 * is a network-path reference to another host, and browsers read `\` as `/`
 * (WHATWG URL), so `/\evil.com` is one too. Characters RFC 3986 forbids
 * (a backslash, a backtick) are percent-encoded.
 */
export function sameSiteLocation(location: string): string {
  let reference = location
  if (SCHEME.test(reference)) {
    const url = URL.parse(reference)
    reference = url ? `${url.pathname}${url.search}` : '/'
  }
  const path = `/${reference.replace(/^[\s/\\]+/, '')}`
  return path.replace(NOT_URI_CHARACTER, encodeURIComponent)
}

/**
 * The response with `X-Content-Type-Options: nosniff` and a same-site,
 * path-only Location (see sameSiteLocation), when it is a redirect;
 * otherwise the response itself.
 */
export function hardenRedirect(response: Response): Response {
  const location = response.headers.get('Location')
  if (location === null || response.status < 300 || response.status > 399) return response
  const headers = new Headers(response.headers)
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('Location', sameSiteLocation(location))
  return new Response(null, { status: response.status, headers })
}
