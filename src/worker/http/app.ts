import type { Hono } from 'hono'
import { HonoBase } from 'hono/hono-base'
import { TrieRouter } from 'hono/router/trie-router'
import { SITE_INDEX_FORMAT, type SiteIndex, viewAt } from '../../contract/site-index.ts'
import { isFeedPath } from '../../site/urls.ts'
import { DocumentReader, type FetchAsset } from '../documents.ts'
import { registerFeedRoutes } from './feed-routes.ts'
import { registerPageRoutes } from './page-routes.ts'
import { hardenRedirect } from './redirects.ts'
import { discardRequestContent } from './request-content.ts'
import { ALLOWED_METHODS, refuseMalformedTarget, refuseOversizedRequest } from './request-limits.ts'
import type { AppEnv } from './request-scope.ts'
import { baseHeaders } from './respond.ts'
import { ResponseMemo } from './response-memo.ts'
import { notFound } from './serve-document.ts'
import { assetFetcher } from './static-assets.ts'
import { guardFetch } from './top-level-guard.ts'

/**
 * The worker's routes over the prerendered site: every document was made by
 * the content build (see src/build/prerender/); a request looks up its
 * document in the site index, reads it from the static assets and answers
 * with validators. Nothing is rendered or planned per request.
 */

export interface AppOptions {
  index: SiteIndex
  /** Reads static assets; default the ASSETS binding. Tests pass their own. */
  assets?: FetchAsset
  /** The clock, in ms since the epoch; tests drive it to publish future-dated articles. */
  now?: () => number
}

const noAssets: FetchAsset = async () => new Response(null, { status: 404 })

/** Builds the worker application over one prerendered site. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { index } = options
  if (index.format !== SITE_INDEX_FORMAT) {
    throw new Error(
      `[worker] site index: format ${index.format}, expected ${SITE_INDEX_FORMAT}. Rebuild with npm run build:content`,
    )
  }
  const clock = options.now ?? Date.now
  const responses = new ResponseMemo(clock)
  const reader = new DocumentReader(index)
  // TrieRouter builds its tree as routes are added, at startup; Hono's default SmartRouter
  // builds its matchers on the first request instead, which cost a fresh isolate's first request
  // about 10 ms of CPU in workerd (measured against a constant-response worker, see
  // docs/architecture.md). PatternRouter would be cheaper still, but it ignores a trailing slash,
  // and `/topics/x` must redirect to `/topics/x/` rather than be served under both.
  // HonoBase is Hono without the default routers' code, which the bundle would carry unused
  // (11 KB of JavaScript that every fresh isolate scans at startup).
  const app: Hono<AppEnv> = new HonoBase<AppEnv>({ router: new TrieRouter() })

  app.use(async (c, next) => {
    await next()
    const hardened = hardenRedirect(c.res)
    if (hardened === c.res) return
    // Hono's setter copies the old response's headers onto the new one, Location included; clear it first.
    c.res = undefined
    c.res = hardened
  })

  app.use(async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const headers = baseHeaders('asset')
    headers.set('Allow', ALLOWED_METHODS)
    if (method === 'OPTIONS') {
      // Only feeds are shared across origins (see baseHeaders); pages and errors are not.
      if (!isFeedPath(new URL(c.req.url).pathname)) {
        return new Response(null, { status: 204, headers })
      }
      headers.set('Access-Control-Allow-Origin', '*')
      headers.set('Access-Control-Allow-Methods', ALLOWED_METHODS)
      headers.set('Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since')
      return new Response(null, { status: 204, headers })
    }
    headers.set('Content-Type', 'text/plain; charset=utf-8')
    return new Response('Method not allowed: this site is read-only.\n', { status: 405, headers })
  })

  // The request scope: computed once, read by every route as c.var.scope.
  app.use(async (c, next) => {
    const now = clock()
    const view = viewAt(index, now)
    const nextDue = index.dueTimes[view]
    c.set('scope', {
      index,
      site: index.site,
      origin: index.placeholderOrigin ? new URL(c.req.url).origin : index.site.baseUrl!,
      now,
      view,
      ...(nextDue === undefined ? {} : { nextDue }),
      reader,
      fetchAsset: options.assets ?? assetFetcher(c.env) ?? noAssets,
      assetsEnv: options.assets ? undefined : c.env,
      responses,
    })
    return next()
  })

  registerPageRoutes(app)
  registerFeedRoutes(app)

  app.notFound(notFound)

  // One place answers for every exception: the top-level guard around fetch (see top-level-guard.ts).
  app.onError((error) => {
    throw error
  })

  // Oversized requests are refused first (see request-limits.ts). Then a remembered response is
  // answered before anything else (see response-memo.ts): the memo holds only URLs that passed
  // the target checks, which read the URL alone, so they are not run again for it. Every other
  // request is checked, then routed.
  const route = app.fetch
  const checkAndRoute: typeof route = (request, env, executionCtx) =>
    refuseMalformedTarget(request) ?? route(request, env, executionCtx)
  app.fetch = guardFetch((request, env, executionCtx) => {
    // Read once: each read of request.url copies the string out of the runtime.
    const url = request.url
    const oversized = refuseOversizedRequest(request, url)
    if (oversized) return oversized
    // Content has no meaning here, but must be read before answering (see request-content.ts).
    if (request.body !== null) {
      return discardRequestContent(request).then(
        (tooLarge) => tooLarge ?? checkAndRoute(request, env, executionCtx),
      )
    }
    return responses.answer(request, env, url) ?? checkAndRoute(request, env, executionCtx)
  })
  return app
}
