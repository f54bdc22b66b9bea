import { FEED_FILES } from '../../site/urls.ts'

/**
 * Pays a fresh isolate's one-time costs at startup instead of on its first
 * request. V8 compiles each function the first time it runs, and workerd sets
 * up each runtime API (URL parsing, Headers, the regular expression engine,
 * node:buffer) the first time it is used: together they made a fresh
 * isolate's first request cost several times its second. Cloudflare runs a
 * worker's global scope when it starts the isolate, under the startup limit
 * (1 s), not under the first request's CPU limit, so the worker sends itself
 * a few requests there.
 *
 * The global scope may do no I/O, so these are conditional requests
 * (`If-None-Match: *`) that the worker answers 304 from its index alone:
 * routing, the request scope, content negotiation, validators and the
 * response headers all run; no asset is read, nothing is logged, and the
 * answers are dropped. test/worker/http/warm-up.test.ts holds them to that.
 */

/** An origin no client can send (RFC 6761 section 6.4), so no remembered response is ever reused. */
const WARM_UP_ORIGIN = 'https://warm-up.invalid'

/** The paths warmed: a feed (each format's route) and the pages most requests are for. */
export const WARM_UP_PATHS = [
  ...Object.values(FEED_FILES).map((file) => `/${file}`),
  '/',
  '/topics/',
]

/** Requests as feed readers and browsers send them: the fields the worker reads. */
export function warmUpRequests(): Request[] {
  return WARM_UP_PATHS.map(
    (path) =>
      new Request(`${WARM_UP_ORIGIN}${path}`, {
        headers: {
          Accept: 'application/rss+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.1',
          'Accept-Encoding': 'gzip, br',
          'If-None-Match': '*',
          'User-Agent': 'warm-up',
        },
      }),
  )
}

type Fetch = (request: Request, env: object) => Response | Promise<Response>

/**
 * Sends the warm-up requests through `fetch` with no bindings. Runs
 * synchronously up to the first await of each; the rest runs as microtasks
 * before the global scope finishes. A request that throws, even at once,
 * only rejects the promise: the warm-up may never stop the worker from
 * starting (the build-problems page of `npm run dev`, for one, makes its
 * Response in a way workerd refuses outside a request).
 */
export function warmUp(fetch: Fetch): Promise<Response[]> {
  return Promise.all(warmUpRequests().map(async (request) => fetch(request, {})))
}
