import { BoundedCache } from './bounded-cache.ts'
import { evaluatePreconditions, preconditionFailed } from './conditional-get.ts'
import { FEED_VARY, wantsFeedPage } from './negotiate.ts'
import type { Representation } from './representation.ts'

/**
 * The fast path: a response the worker has already made for a URL is made
 * again from memory, before routing, for as long as it cannot change. A feed
 * is polled by every reader every few minutes, forever, so after the first
 * request the worker should cost about as much as returning a constant: a map
 * lookup, a comparison of validators, and a Response made of stored bytes and
 * headers. Representations are still made and hashed once, by the routes; this
 * only saves the routing and the header building around them.
 */

interface Remembered {
  /** The environment the response was made with; another one (other settings) misses. */
  env: unknown
  representation: Representation
  /** Headers of the 200 answer; a 304 sends the same minus Content-Type and Content-Length. */
  headers: [string, string][]
  notModifiedHeaders: [string, string][]
  /** ms since the epoch after which the response may differ (an article becomes due). */
  validUntil: number
}

/** A 404 for a URL: the same page for every unknown URL, so the body is all it keeps. */
interface RememberedMissing {
  env: unknown
  /** The not-found page as sent to GET (on this URL's origin). */
  body: Uint8Array
  headers: [string, string][]
  validUntil: number
}

/**
 * The key of a feed response, which varies on FEED_VARY: the URL and the
 * variant the request gets (a URL has no newline, so keys cannot collide).
 * Keying on the choice rather than on the fields' values keeps one entry per
 * variant, however many Accept spellings clients send.
 */
function keyWithVariant(request: Request, url = request.url): string {
  return `${url}\n${wantsFeedPage(request.headers) ? 'page' : 'feed'}`
}

/**
 * A map from request URL to a response that stays right until validUntil,
 * bounded in entries and in body bytes.
 */
export class ResponseMemo {
  readonly #entries: BoundedCache<Remembered>
  /**
   * 404s apart from the documents, so that a scanner asking for a million
   * unknown URLs cannot push the feeds out.
   */
  readonly #missing: BoundedCache<RememberedMissing>
  readonly #clock: () => number

  constructor(clock: () => number, limit = 1000, byteLimit = 8 * 1024 * 1024) {
    this.#clock = clock
    this.#entries = new BoundedCache(limit, byteLimit)
    this.#missing = new BoundedCache(Math.ceil(limit / 4), Math.ceil(byteLimit / 8))
  }

  /** The response for a GET or HEAD of a remembered URL, or undefined to route it. */
  answer(request: Request, env: unknown, url = request.url): Response | undefined {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
    const key = this.#entries.has(url) ? url : keyWithVariant(request, url)
    const entry = this.#entries.get(key)
    if (!entry) {
      // Looked up only once the documents miss: a feed's answer pays no lookup for 404s.
      const missing = this.#missing.get(url)
      return missing && this.#answerMissing(request, env, missing)
    }
    if (entry.env !== env) return undefined
    if (this.#clock() >= entry.validUntil) {
      this.#entries.delete(key)
      return undefined
    }
    const outcome = evaluatePreconditions(request.headers, entry.representation, this.#clock())
    if (outcome === 'failed') return preconditionFailed(request.method)
    if (outcome === 'not-modified') {
      return new Response(null, { status: 304, headers: entry.notModifiedHeaders })
    }
    const body = request.method === 'HEAD' ? null : entry.representation.body
    return new Response(body, { headers: entry.headers })
  }

  /**
   * Remembers the 200 response a route made for `request`. A response that
   * varies on FEED_VARY (a feed: its readable page for browser navigations)
   * is remembered under its URL and variant; one that varies on anything else
   * is never remembered.
   */
  remember(
    request: Request,
    env: unknown,
    representation: Representation,
    response: Response,
    validUntil: number,
  ): void {
    if (response.status !== 200 && response.status !== 304) return
    const vary = response.headers.get('Vary')
    if ((vary !== null && vary !== FEED_VARY) || validUntil <= this.#clock()) return
    const key = vary === null ? request.url : keyWithVariant(request)
    const headers = [...response.headers].filter(
      ([name]) => name !== 'content-type' && name !== 'content-length',
    )
    this.#entries.set(
      key,
      {
        env,
        representation,
        headers: [
          ...headers,
          ['content-type', representation.contentType],
          ['content-length', String(representation.body.byteLength)],
        ],
        notModifiedHeaders: headers,
        validUntil,
      },
      representation.body.byteLength,
    )
  }

  /**
   * Remembers that `request`'s URL has no document, until validUntil (when
   * an article becomes due, a 404 can turn into a page). Feed readers poll
   * a removed feed's URL every few minutes, forever.
   */
  rememberMissing(
    request: Request,
    env: unknown,
    body: Uint8Array,
    headers: [string, string][],
    validUntil: number,
  ): void {
    if (validUntil <= this.#clock()) return
    this.#missing.set(
      request.url,
      { env, body, headers, validUntil },
      body.byteLength + request.url.length,
    )
  }

  /**
   * A remembered 404. Preconditions are not evaluated: RFC 9110 section
   * 13.2.1 has a server ignore them when the answer would not be 2xx.
   */
  #answerMissing(request: Request, env: unknown, missing: RememberedMissing): Response | undefined {
    if (missing.env !== env) return undefined
    if (this.#clock() >= missing.validUntil) {
      this.#missing.delete(request.url)
      return undefined
    }
    const body = request.method === 'HEAD' ? null : missing.body
    return new Response(body, { status: 404, headers: missing.headers })
  }
}
