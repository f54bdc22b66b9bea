import { plainErrorResponse } from './error-bodies.ts'
import { baseHeaders } from './respond.ts'

/**
 * Requests this site cannot have a document for, refused before routing with
 * the status that says why (RFC 9110 section 15.5, RFC 6585 section 5), a
 * one-line body that never repeats the request, and no caching.
 *
 * workerd hands the worker the request target as the client sent it, behind
 * `http://` and the Host field: `request.url` can hold a backslash, a `..`
 * segment or a Host of `a b`, none of which the WHATWG URL parser keeps as
 * they are (it turns `\` into `/`, resolves `..`, or throws). Routing matches
 * the raw string, so a request whose raw and parsed forms could disagree is
 * refused here; every later `new URL(request.url)` then parses, and parses to
 * what was routed.
 */

/**
 * The longest request target served, in characters. Every published URL is
 * far shorter (slugs stop at 96 characters); Cloudflare's own limit is 16 KB.
 */
export const MAX_URL_LENGTH = 4096

/** The most header bytes (names and values) served; Cloudflare stops at 32 KB as well. */
export const MAX_HEADER_BYTES = 32 * 1024

/** The methods this read-only site answers (RFC 9110 section 9.3); the Allow field of 405s. */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

/**
 * A Host this site can be served under (RFC 9110 section 7.2, RFC 3986
 * section 3.2.2): a DNS name or IPv4 address (letters, digits, `-`, `_`
 * and dots), or an IPv6 literal in brackets, with an optional port. Stricter
 * than RFC 3986's reg-name on purpose: the host goes into every absolute URL
 * of the site's feeds and pages when SITE_URL is empty.
 */
const VALID_HOST =
  /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/

/** `scheme://authority` and the rest of the request target, as workerd joined them. */
const RAW_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s

/** A `.` or `..` path segment, spelled plainly or percent-encoded (RFC 3986 section 5.2.4). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

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

function isValidHost(authority: string): boolean {
  if (!VALID_HOST.test(authority)) return false
  const port = /:([0-9]+)$/.exec(authority)?.[1]
  return port === undefined || authority.endsWith(']') || Number(port) <= 65535
}

function badRequest(request: Request, problem: string): Response {
  return plainErrorResponse(request.method, 400, `Bad request: ${problem}`)
}

/**
 * RFC 9110 section 9.3.7: `OPTIONS *` asks about the server in general; the
 * answer is what every resource here allows. No other method takes `*`.
 */
function answerAsteriskForm(request: Request): Response {
  if (request.method !== 'OPTIONS') {
    return badRequest(request, 'the request target "*" is only for OPTIONS.')
  }
  const headers = baseHeaders('asset')
  headers.set('Allow', ALLOWED_METHODS)
  return new Response(null, { status: 204, headers })
}

/** The refusal for a request target that routing and the URL parser would read differently. */
function refuseTarget(
  request: Request,
  url: string,
  parts: RegExpExecArray | null,
): Response | undefined {
  if (!parts) return badRequest(request, 'the request target is not a URL path.')
  const authority = parts[2]!
  const rest = parts[3]!
  // Asterisk-form (RFC 9112 section 3.2.4): workerd appends the `*` to the host.
  if (rest === '' && authority.endsWith('*') && isValidHost(authority.slice(0, -1))) {
    return answerAsteriskForm(request)
  }
  if (!isValidHost(authority)) {
    return badRequest(request, 'the Host header is not one valid host name (RFC 9110 section 7.2).')
  }
  const path = rest.split(/[?#]/, 1)[0]!
  if (path.includes('\\')) {
    return badRequest(request, 'the address has a backslash; use / between path segments.')
  }
  if (path.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    return badRequest(request, 'the address has a "." or ".." segment; ask for the resolved path.')
  }
  if (!URL.canParse(url)) return badRequest(request, 'the address does not parse.')
  if (hasBadPercentEncoding(path)) {
    return badRequest(request, 'the address has a malformed %-escape.')
  }
  return undefined
}

/**
 * The refusal for a request too large to look at: 414 for an over-long URL,
 * 431 for oversized headers. Checked before anything else reads the request,
 * so that no later step's cost grows with what a client sends.
 */
export function refuseOversizedRequest(request: Request, url = request.url): Response | undefined {
  // The target is the URL minus `scheme://authority`; only a URL longer than the limit needs the split.
  if (url.length > MAX_URL_LENGTH && (RAW_URL.exec(url)?.[3] ?? url).length > MAX_URL_LENGTH) {
    return plainErrorResponse(
      request.method,
      414,
      `URI too long: this site's addresses are under ${MAX_URL_LENGTH} characters.`,
    )
  }
  if (headerBytes(request.headers) > MAX_HEADER_BYTES) {
    return plainErrorResponse(request.method, 431, 'Request header fields too large.')
  }
  return undefined
}

/**
 * The refusal for a request target that routing and the URL parser would
 * read differently: 400 for an invalid Host or a path that is ambiguous or
 * does not decode, 204 for `OPTIONS *`. It reads the URL alone, so a URL
 * that passed once passes again (the response memo relies on that).
 */
export function refuseMalformedTarget(request: Request, url = request.url): Response | undefined {
  return refuseTarget(request, url, RAW_URL.exec(url))
}

/**
 * Both refusals, in their order: undefined when the request may go on to
 * routing, which can then parse `request.url` safely.
 */
export function refuseMalformedRequest(request: Request): Response | undefined {
  // Read once: each read of request.url copies the string out of the runtime.
  const url = request.url
  return refuseOversizedRequest(request, url) ?? refuseMalformedTarget(request, url)
}
