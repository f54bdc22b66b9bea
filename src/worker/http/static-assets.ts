import type { FetchAsset } from '../../site/content-loader.ts'

/**
 * The static assets the build writes next to the worker ([assets] in
 * wrangler.toml): pre-rendered article pages and content chunks. Cloudflare
 * answers a request from them before the worker runs; the worker reaches them
 * through the ASSETS binding only for content chunks, and for an article page
 * when a request came to the worker anyway.
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

/** Answers an article page request from its static asset; `fallback` when there is none. */
export async function serveArticleAsset(
  env: AssetsEnv | undefined,
  request: Request,
  fallback: Response,
): Promise<Response> {
  if (!env?.ASSETS) return fallback
  const response = await env.ASSETS.fetch(request)
  return response.status === 404 ? fallback : response
}
