import type { FetchAsset } from '../documents.ts'
import { imfFixdate } from '../utc-date.ts'
import { evaluatePreconditions, preconditionFailed } from './conditional-get.ts'

/**
 * The static assets the build writes next to the worker ([assets] in
 * wrangler.toml): the newest article pages as plain files, which Cloudflare
 * answers before the worker runs, and the private documents and packs the
 * worker reads through the ASSETS binding (wrangler.toml routes their paths
 * to the worker first, and no route answers them).
 */

/** The part of the ASSETS binding the worker uses. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>
}

/** The worker's environment, as far as static assets go. */
export interface AssetsEnv {
  ASSETS?: AssetsBinding
}

/** The binding resolves paths alone; the host of the URL is never looked at. */
const ASSET_ORIGIN = 'https://assets.invalid'

/** A FetchAsset over the binding, or undefined when the worker runs without assets (unit tests). */
export function assetFetcher(env: AssetsEnv | undefined): FetchAsset | undefined {
  const assets = env?.ASSETS
  return assets ? (path) => assets.fetch(new Request(`${ASSET_ORIGIN}${path}`)) : undefined
}

/** Request fields the worker answers itself, so the asset layer must not see them. */
const CONDITIONAL_FIELDS = [
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
]

/**
 * Answers an article page request from its static asset; `fallback`'s
 * answer when there is none (made only then: a 404 is remembered). The page
 * gets the Last-Modified the worker's own pages carry, and the request's
 * preconditions are judged here, by the same rules
 * as every other document (conditional-get.ts): `If-None-Match: *` is a 304,
 * a failed If-Match a 412. HEAD gets GET's Content-Length.
 */
export async function serveArticleAsset(
  env: AssetsEnv | undefined,
  request: Request,
  fallback: () => Promise<Response>,
  options: { lastModified?: Date; now?: number } = {},
): Promise<Response> {
  if (!env?.ASSETS) return fallback()
  const headers = new Headers(request.headers)
  for (const name of CONDITIONAL_FIELDS) headers.delete(name)
  const response = await env.ASSETS.fetch(new Request(request.url, { headers }))
  if (response.status === 404) return fallback()
  if (response.status !== 200) return response
  const answer = new Headers(response.headers)
  const seconds = options.lastModified
    ? Math.floor(options.lastModified.getTime() / 1000)
    : undefined
  if (seconds !== undefined) answer.set('Last-Modified', imfFixdate(seconds))
  const etag = answer.get('ETag')
  const outcome = etag
    ? evaluatePreconditions(
        request.headers,
        { etag, ...(seconds === undefined ? {} : { lastModifiedSeconds: seconds }) },
        options.now ?? Date.now(),
      )
    : 'serve'
  if (outcome !== 'serve' || request.method === 'HEAD') {
    const body = new Uint8Array(await response.arrayBuffer())
    if (outcome === 'failed') return preconditionFailed(request.method)
    if (outcome === 'not-modified') {
      answer.delete('Content-Type')
      answer.delete('Content-Length')
      return new Response(null, { status: 304, headers: answer })
    }
    answer.set('Content-Length', String(body.byteLength))
    return new Response(null, { status: 200, headers: answer })
  }
  return new Response(response.body, { status: 200, headers: answer })
}
