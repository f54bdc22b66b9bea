import { type Context, Hono } from 'hono'
import type { CompiledArticle, CompiledContent } from '../../contract/compiled.ts'
import { OPML_MEDIA_TYPE, renderOpml } from '../../feeds/render-opml.ts'
import { renderArticlePage } from '../../pages/article-page.ts'
import { COPY_FEED_URL_SCRIPT } from '../../pages/copy-feed-url-script.ts'
import { COPY_SCRIPT_PATH } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH, renderFeedStylesheet } from '../../pages/feed-stylesheet.ts'
import { renderHomePage } from '../../pages/home-page.ts'
import { renderNotFoundPage } from '../../pages/not-found-page.ts'
import { STYLESHEET } from '../../pages/stylesheet.ts'
import { renderTopicPage, renderTopicsPage } from '../../pages/topic-pages.ts'
import { type ContentLoader, createContentLoader } from '../../site/content-loader.ts'
import { articleModified, renderRobotsTxt, renderSitemap } from '../../site/crawlers.ts'
import { createPublisher, type PublishedView } from '../../site/published.ts'
import { readSiteConfig, type SiteConfig, type SiteEnv } from '../../site/site-config.ts'
import { articleUrl, isFeedPath } from '../../site/urls.ts'
import { changingCacheControl } from './cache-policy.ts'
import { pageTags } from './cache-tags.ts'
import { registerFeedRoutes } from './feed-routes.ts'
import { hardenRedirect } from './redirects.ts'
import { createRepresentation, type Representation, RepresentationCache } from './representation.ts'
import { discardRequestContent } from './request-content.ts'
import { ALLOWED_METHODS, refuseMalformedRequest } from './request-limits.ts'
import { baseHeaders, type DocumentKind, type RespondOptions, respond } from './respond.ts'
import { ResponseMemo } from './response-memo.ts'
import { type AssetsEnv, assetFetcher, serveArticleAsset } from './static-assets.ts'
import { guardFetch } from './top-level-guard.ts'

/**
 * The worker's routes. Every document is rendered once per content view,
 * origin and route in an isolate, then served from memory with validators.
 */

export interface AppOptions {
  content: CompiledContent
  /** The clock, in ms since the epoch; tests drive it to publish future-dated articles. */
  now?: () => number
}

type Env = { Bindings: SiteEnv & AssetsEnv }

interface RequestScope {
  site: SiteConfig
  origin: string
  view: PublishedView
  now: number
  /** Prefix of every representation key for this site, origin and view. */
  key: string
}

const HTML = 'text/html; charset=utf-8'

/** Builds the worker application over one compiled content set. */
export function createApp(options: AppOptions): Hono<Env> {
  const publisher = createPublisher(options.content)
  const clock = options.now ?? Date.now
  const representations = new RepresentationCache()
  const responses = new ResponseMemo(clock)
  /** The 404 page per site, origin and view: unknown URLs are many, the page is one. */
  const notFoundPages = new Map<string, string>()
  const sites = new WeakMap<object, { site: SiteConfig; key: string }>()
  let contentLoader: ContentLoader | undefined
  const loadContent = (c: Context<Env>, articles: readonly CompiledArticle[]) => {
    contentLoader ??= createContentLoader(assetFetcher(c.env))
    return contentLoader.loadContent(articles)
  }

  function siteFor(env: SiteEnv | undefined): { site: SiteConfig; key: string } {
    const bindings = env ?? {}
    let entry = sites.get(bindings)
    if (!entry) {
      const site = readSiteConfig(bindings)
      entry = { site, key: JSON.stringify(site) }
      sites.set(bindings, entry)
    }
    return entry
  }

  function scopeOf(c: Context<Env>): RequestScope {
    const { site, key } = siteFor(c.env)
    const origin = site.baseUrl ?? new URL(c.req.url).origin
    const now = clock()
    const view = publisher.viewAt(now)
    return { site, origin, view, now, key: `${key}\n${origin}\n${view.key}` }
  }

  async function serveWith(
    c: Context<Env>,
    scope: RequestScope,
    route: string,
    options: Omit<RespondOptions, 'status'>,
    make: () => Promise<Representation>,
  ): Promise<Response> {
    const representation = await representations.get(`${scope.key}\n${route}`, make)
    const response = respond(c.req.raw, representation, { ...options, now: scope.now })
    // Unchanged until the next article is due, and Cache-Control too until twice max-age before.
    const { nextDue } = scope.view
    const validUntil = nextDue === undefined ? Infinity : nextDue - 2 * scope.site.maxAge * 1000
    responses.remember(c.req.raw, c.env, representation, response, validUntil)
    return response
  }

  /** Serves a page or asset that changes as articles are published; `page` names its Cache-Tag. */
  function serve(
    c: Context<Env>,
    scope: RequestScope,
    route: string,
    kind: DocumentKind,
    make: () => Promise<Representation>,
    page = route.split('\n').map(encodeURIComponent).join(':'),
  ): Promise<Response> {
    const cacheControl = changingCacheControl(scope.site.maxAge, scope.now, scope.view.nextDue)
    return serveWith(c, scope, route, { kind, cacheControl, tags: pageTags(page) }, make)
  }

  function notFound(c: Context<Env>): Response {
    const scope = scopeOf(c)
    const headers = baseHeaders('html')
    headers.set('Content-Type', HTML)
    headers.set('Cache-Control', 'public, max-age=60')
    headers.set('Cache-Tag', pageTags('not-found').join(','))
    let page = notFoundPages.get(scope.key)
    if (page === undefined) {
      if (notFoundPages.size >= 100) notFoundPages.clear()
      page = renderNotFoundPage(scope.site, scope.origin)
      notFoundPages.set(scope.key, page)
    }
    return new Response(c.req.method === 'HEAD' ? null : page, {
      status: 404,
      headers,
    })
  }

  /** An article that moved (`redirect_from`): permanently at its new URL. */
  function redirectMoved(c: Context<Env>, scope: RequestScope, slug: string): Response {
    const response = c.redirect(articleUrl(scope.origin, slug), 301)
    response.headers.set(
      'Cache-Control',
      changingCacheControl(scope.site.maxAge, scope.now, scope.view.nextDue),
    )
    return response
  }

  function redirectToFolder(c: Context<Env>): Response {
    const url = new URL(c.req.url)
    return c.redirect(`${url.pathname}/${url.search}`, 301)
  }

  const newest = (view: PublishedView): Date | undefined =>
    view.articles[0] ? new Date(view.articles[0].published) : undefined

  const app = new Hono<Env>()

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

  app.get('/', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'home', 'html', () =>
      createRepresentation(
        renderHomePage(scope.site, scope.origin, scope.view),
        HTML,
        newest(scope.view),
      ),
    )
  })

  app.get('/style.css', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'style', 'asset', () =>
      createRepresentation(STYLESHEET, 'text/css; charset=utf-8'),
    )
  })

  app.get(FEED_STYLESHEET_PATH, (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'feed-stylesheet', 'asset', () =>
      createRepresentation(
        renderFeedStylesheet(scope.site, scope.origin),
        'text/xsl; charset=utf-8',
      ),
    )
  })

  app.get(COPY_SCRIPT_PATH, (c) =>
    serve(c, scopeOf(c), 'copy-script', 'asset', () =>
      createRepresentation(COPY_FEED_URL_SCRIPT, 'text/javascript; charset=utf-8'),
    ),
  )

  app.get('/feeds.opml', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'opml', 'feed', () =>
      createRepresentation(
        renderOpml(scope.site, scope.origin, scope.view),
        `${OPML_MEDIA_TYPE}; charset=utf-8`,
        newest(scope.view),
      ),
    )
  })

  app.get('/sitemap.xml', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'sitemap', 'asset', () =>
      createRepresentation(
        renderSitemap(scope.origin, scope.view),
        'application/xml; charset=utf-8',
        newest(scope.view),
      ),
    )
  })

  app.get('/robots.txt', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'robots', 'asset', () =>
      createRepresentation(renderRobotsTxt(scope.origin), 'text/plain; charset=utf-8'),
    )
  })

  registerFeedRoutes(app, { scopeOf, serve: serveWith, notFound, loadContent })

  app.get('/topics/', (c) => {
    const scope = scopeOf(c)
    return serve(c, scope, 'topics', 'html', () =>
      createRepresentation(
        renderTopicsPage(scope.site, scope.origin, scope.view),
        HTML,
        newest(scope.view),
      ),
    )
  })

  app.get('/topics/:slug/', (c) => {
    const scope = scopeOf(c)
    const slug = c.req.param('slug')
    const topic = scope.view.topicBySlug.get(slug)
    if (!topic) return notFound(c)
    return serve(c, scope, `topic\n${slug}`, 'html', () =>
      createRepresentation(
        renderTopicPage(scope.site, scope.origin, topic),
        HTML,
        topic.articles[0] ? new Date(topic.articles[0].published) : undefined,
      ),
    )
  })

  app.get('/articles/:slug/', (c) => {
    const scope = scopeOf(c)
    const slug = c.req.param('slug')
    const article = scope.view.articleBySlug.get(slug)
    const moved = article ? undefined : scope.view.movedFrom.get(slug)
    if (moved) return redirectMoved(c, scope, moved.slug)
    if (!article) return notFound(c)
    // Published before the build: its page is a static asset, which normally answers first.
    if (article.contentHtml === undefined) {
      return serveArticleAsset(c.env, c.req.raw, notFound(c), {
        lastModified: new Date(articleModified(article)),
        now: scope.now,
      })
    }
    return serve(c, scope, `article\n${slug}`, 'html', () =>
      createRepresentation(
        renderArticlePage(scope.site, scope.origin, article),
        HTML,
        // An `updated` earlier than `published` is a typo, not a change: the page dates from publication.
        new Date(articleModified(article)),
      ),
    )
  })

  // Folders are canonical with a trailing slash; send the other spelling there.
  app.get('/topics/:slug', redirectToFolder)
  app.get('/articles/:slug', redirectToFolder)
  app.get('/topics', (c) => c.redirect('/topics/', 301))

  app.notFound(notFound)

  // One place answers for every exception: the top-level guard around fetch (see top-level-guard.ts).
  app.onError((error) => {
    throw error
  })

  // Malformed requests are refused first (see request-limits.ts), then remembered
  // responses are answered before routing (see response-memo.ts).
  const route = app.fetch
  app.fetch = guardFetch(async (request, env, executionCtx) => {
    const refused = refuseMalformedRequest(request)
    if (refused) return refused
    // Content has no meaning here, but must be read before answering (see request-content.ts).
    if (request.body !== null) {
      const tooLarge = await discardRequestContent(request)
      if (tooLarge) return tooLarge
    }
    return responses.answer(request, env) ?? route(request, env, executionCtx)
  })
  return app
}
