import { XMLValidator } from 'fast-xml-parser'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'

/**
 * What must hold for every response the worker gives, whatever was asked:
 * the fuzzer and its regression cases check each response against these.
 * Each check returns the broken invariants as sentences; none means the
 * response is fine.
 */

/** One request as data, so a failing one can be kept in fuzz-regressions.json as it is. */
export interface FuzzRequest {
  method: string
  /**
   * Scheme, host and port. With `raw`, any text: the Host field as a client
   * sent it, which need not be a valid host.
   */
  origin: string
  /** Path and query, as sent (percent-escapes and all). */
  target: string
  /** Header fields in order; a name may repeat. */
  headers: [string, string][]
  /**
   * The target and origin reach the worker as sent, not normalised by a URL
   * parser: what workerd hands a worker for a raw HTTP request (`curl
   * --path-as-is`, a Host of `a b`). Such requests go straight to the
   * handler (see toRequest) or over a socket to the runtime.
   */
  raw?: boolean
  /** Bytes of content sent with the request (only over a socket: fetch refuses content on GET). */
  bodyBytes?: number
}

/** The origin off-site checks resolve Locations against: whatever the Host, a path stays on it. */
const SITE = 'http://site.invalid'

/** Statuses that fit some request to this read-only site (RFC 9110 section 15, RFC 6585). */
const FITTING_STATUSES = new Set([200, 204, 301, 304, 400, 404, 405, 412, 413, 414, 431])

/** An error page is a sentence or a small page; more suggests something leaked into it. */
export const MAX_ERROR_BODY_BYTES = 16 * 1024

/** Markers the request generator puts into hostile input; seeing one raw in a response means it was reflected. */
export const CANARIES = ['<fuzz-tag', '"fuzz-quote', "'fuzz-apos", '`fuzz-tick']

const LEAKS: [RegExp, string][] = [
  [/\n\s+at [^\n]+[(:]\d+/, 'a stack trace'],
  [/\b(?:TypeError|ReferenceError|RangeError|SyntaxError)\b/, 'an exception name'],
  [/(?:\/work\/|\/home\/|\/root\/|\/tmp\/|[A-Z]:\\\\|file:\/\/|node_modules)/, 'a file path'],
  [/\.tsx?:\d+/, 'a source location'],
  [/\b(?:SITE_URL|CACHE_MAX_AGE|FEED_ITEM_LIMIT)\b/, 'an environment variable name'],
]

const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json']

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** Builds the Request a FuzzRequest describes. */
export function toRequest(request: FuzzRequest): Request {
  const headers = new Headers()
  for (const [name, value] of request.headers) headers.append(name, value)
  if (!request.raw) {
    return new Request(`${request.origin}${request.target}`, { method: request.method, headers })
  }
  // The fetch API would normalise the URL (or refuse it); workerd does not, so the raw string is set over it.
  const raw = new Request('http://raw.invalid/', { method: request.method, headers })
  Object.defineProperty(raw, 'url', { value: `${request.origin}${request.target}` })
  return raw
}

const parsedFeeds = new Map<string, string | undefined>()

/** Parses a feed with feedsmith, an independent parser, once per distinct body. */
function feedProblem(type: string, body: string): string | undefined {
  const key = `${type}\n${body}`
  if (parsedFeeds.has(key)) return parsedFeeds.get(key)
  let problem: string | undefined
  try {
    if (type === 'application/feed+json') {
      const feed = parseJsonFeed(JSON.parse(body))
      if (!feed.title) problem = 'the JSON feed has no title'
    } else {
      const verdict = XMLValidator.validate(body)
      if (verdict !== true) problem = `the feed is not well-formed XML: ${verdict.err.msg}`
      else {
        const feed = type === 'application/rss+xml' ? parseRssFeed(body) : parseAtomFeed(body)
        if (!feed.title) problem = 'the feed has no title'
      }
    }
  } catch (error) {
    problem = `the feed does not parse: ${(error as Error).message}`
  }
  parsedFeeds.set(key, problem)
  return problem
}

/**
 * True when a Location keeps the client on the site whatever the Host was:
 * a path-absolute reference (one `/`, then neither `/` nor `\\`).
 */
export function isOnSite(location: string): boolean {
  return /^\/(?![/\\])/.test(location) && new URL(location, `${SITE}/a/b`).origin === SITE
}

function headerProblems(response: Response): string[] {
  const problems: string[] = []
  const type = mediaType(response)
  const headers = response.headers
  if (headers.get('x-content-type-options') !== 'nosniff') problems.push('no nosniff')
  if (headers.has('set-cookie')) problems.push('a cookie is set')
  if (headers.has('access-control-allow-credentials')) problems.push('CORS allows credentials')
  const cors = headers.get('access-control-allow-origin')
  const feedLike =
    FEED_TYPES.includes(type) || (type === '' && [204, 304].includes(response.status))
  if (cors !== null && (cors !== '*' || !feedLike)) problems.push(`CORS "${cors}" on a non-feed`)
  if (FEED_TYPES.includes(type) && cors !== '*') problems.push('a feed without CORS *')
  if (type === 'text/html') {
    const csp = headers.get('content-security-policy') ?? ''
    if (!csp.includes("default-src 'none'") || /unsafe-(?:inline|eval)/.test(csp)) {
      problems.push(`HTML without a strict CSP: "${csp}"`)
    }
    if (!headers.has('referrer-policy')) problems.push('HTML without Referrer-Policy')
  }
  const location = headers.get('location')
  if (
    location !== null &&
    (/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/.test(location) || !isOnSite(location))
  ) {
    problems.push(`Location "${location}" is unsafe or leaves the site`)
  }
  return problems
}

/**
 * Scripts a page may carry: JSON-LD data, which browsers never run, and files
 * of the site itself (CSP `script-src 'self'`). Anything else, inline code
 * above all, would mean input reached the page as markup.
 */
function scriptProblems(body: string, origin: string): string[] {
  const problems: string[] = []
  for (const [tag, attributes = ''] of body.matchAll(/<script\b([^>]*)>/gi)) {
    if (/\btype="application\/ld\+json"/i.test(attributes)) continue
    const src = /\bsrc="([^"]*)"/i.exec(attributes)?.[1]
    if (
      src &&
      URL.canParse(src) &&
      URL.canParse(origin) &&
      new URL(src).origin === new URL(origin).origin
    )
      continue
    problems.push(`an inline or foreign script: ${tag.slice(0, 80)}`)
  }
  return problems
}

/** Every invariant a response to `request` breaks. */
export async function checkResponse(request: FuzzRequest, response: Response): Promise<string[]> {
  const problems = headerProblems(response)
  const { status } = response
  if (status >= 500) problems.push(`server error ${status}`)
  else if (!FITTING_STATUSES.has(status)) problems.push(`unexpected status ${status}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const body = new TextDecoder().decode(bytes)
  if ((request.method === 'HEAD' || [204, 304].includes(status)) && bytes.length > 0) {
    problems.push(`a ${request.method} ${status} with a body`)
  }
  if (status >= 400 && bytes.length > MAX_ERROR_BODY_BYTES) {
    problems.push(`an error body of ${bytes.length} bytes`)
  }
  for (const [pattern, what] of LEAKS)
    if (pattern.test(body)) problems.push(`the body shows ${what}`)
  for (const canary of CANARIES)
    if (body.includes(canary)) problems.push(`"${canary}" is reflected unescaped`)
  problems.push(...scriptProblems(body, request.origin))
  const type = mediaType(response)
  if (status === 200 && request.method === 'GET' && FEED_TYPES.includes(type)) {
    const problem = feedProblem(type, body)
    if (problem) problems.push(problem)
  }
  return problems
}
