import { evaluatePreconditions, preconditionFailed } from './conditional-get.ts'
import type { Representation } from './representation.ts'

/**
 * Turning a representation into a response: validators, caching and the
 * security headers that depend on what kind of document it is.
 */

export type DocumentKind = 'feed' | 'html' | 'asset'

/**
 * Pages load nothing but their own stylesheet, the copy button's script and
 * images; articles may show images from other sites, which is all `img-src`
 * allows beyond that. No inline script or style runs. JSON-LD blocks are data,
 * not script: browsers never execute them, so `script-src` does not apply.
 * Feeds get the same policy, as a browser renders them as pages through XSLT.
 */
export const HTML_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Headers every response carries, errors included. */
export function baseHeaders(kind: DocumentKind): Headers {
  const headers = new Headers({ 'X-Content-Type-Options': 'nosniff' })
  if (kind === 'html' || kind === 'feed') {
    headers.set('Content-Security-Policy', HTML_CONTENT_SECURITY_POLICY)
    headers.set('Referrer-Policy', 'strict-origin-when-cross-origin')
  }
  // Feeds are public documents that web-based readers fetch from their own origin.
  if (kind === 'feed') headers.set('Access-Control-Allow-Origin', '*')
  return headers
}

export interface RespondOptions {
  kind: DocumentKind
  /** Cache-Control value; see cache-policy.ts. */
  cacheControl: string
  /** Cache-Tag values, for purging from Workers Cache; see cache-tags.ts. */
  tags?: readonly string[]
  /** Link header value (RFC 8288), such as WebSub's hub and self links. */
  link?: string
  status?: number
  /** Request fields the response varies on (RFC 9110 section 12.5.5), also on 304s. */
  vary?: string
  /** The origin's clock in ms, which judges If-Modified-Since; default: Date.now(). */
  now?: number
}

/**
 * Answers a GET or HEAD: 412 when a precondition fails, 304 with no body
 * when the client's validators match (RFC 9110 section 15.4.5 keeps ETag,
 * Last-Modified and Cache-Control on it; see conditional-get.ts), otherwise
 * the representation. HEAD gets the Content-Length GET would have (section
 * 9.3.2: the same header fields).
 */
export function respond(
  request: Request,
  representation: Representation,
  options: RespondOptions,
): Response {
  const headers = baseHeaders(options.kind)
  headers.set('ETag', representation.etag)
  if (representation.lastModified) headers.set('Last-Modified', representation.lastModified)
  headers.set('Cache-Control', options.cacheControl)
  if (options.tags?.length) headers.set('Cache-Tag', options.tags.join(','))
  if (options.link) headers.set('Link', options.link)
  if (options.vary) headers.set('Vary', options.vary)
  const status = options.status ?? 200
  if (status === 200) {
    const outcome = evaluatePreconditions(
      request.headers,
      representation,
      options.now ?? Date.now(),
    )
    if (outcome === 'failed') return preconditionFailed(request.method)
    if (outcome === 'not-modified') return new Response(null, { status: 304, headers })
  }
  headers.set('Content-Type', representation.contentType)
  headers.set('Content-Length', String(representation.body.byteLength))
  return new Response(request.method === 'HEAD' ? null : representation.body, { status, headers })
}
