import { type SiteIndex, variantAt, viewAt } from '../../contract/site-index.ts'
import { FEED_FILES, feedQuery } from '../../site/urls.ts'

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

/** The paths every site warms: a feed (each format's route) and the pages most requests are for. */
const SITE_PATHS = [...Object.values(FEED_FILES).map((file) => `/${file}`), '/', '/topics/']

/**
 * The paths warmed for a site: SITE_PATHS, then a topic's feed and page
 * and a filtered feed of two topics (its planning, the merge of the topic
 * lists and the validators, needs no asset either), for the topics it has.
 */
export function warmUpPaths(index: SiteIndex, now: number): string[] {
  const view = viewAt(index, now)
  // A topic's states are parsed when first read (see site-index-module.ts): reading every
  // topic's here parsed the whole topic index at startup, 0.6 MB at 200 topics. Stop at two.
  const slugs: string[] = []
  for (const topic of index.topics) {
    if (slugs.length === 2) break
    if (variantAt(topic.states, view)) slugs.push(topic.slug)
  }
  const paths = [...SITE_PATHS]
  const [first] = slugs
  if (first !== undefined) {
    const folder = `/topics/${encodeURIComponent(first)}/`
    paths.push(`${folder}${FEED_FILES.rss}`, folder)
  }
  if (slugs.length === 2) {
    paths.push(
      `/${FEED_FILES.rss}${feedQuery({ kind: 'filter', topics: slugs.sort(), exclude: [] })}`,
    )
  }
  return paths
}

/** Requests as feed readers and browsers send them: the fields the worker reads. */
export function warmUpRequests(paths: readonly string[]): Request[] {
  return paths.map(
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
export function warmUp(fetch: Fetch, paths: readonly string[]): Promise<Response[]> {
  return Promise.all(warmUpRequests(paths).map(async (request) => fetch(request, {})))
}
