import type { Context, Hono } from 'hono'
import type { CompiledArticle } from '../../contract/compiled.ts'
import { parseFeedFilter } from '../../feeds/feed-filter.ts'
import {
  archivePage,
  type FeedHistory,
  fitCurrentCount,
  planFeedHistory,
  subscriptionPage,
} from '../../feeds/feed-history.ts'
import { buildFeedModel, type FeedPage, type FeedSource } from '../../feeds/feed-model.ts'
import { renderFeed } from '../../feeds/render-feed.ts'
import { renderFeedPage } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH } from '../../pages/feed-stylesheet.ts'
import type { PublishedView } from '../../site/published.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import {
  ARCHIVE_MONTH,
  FEED_FILES,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  type FeedFormat,
  type FeedScope,
  feedQuery,
  feedUrl,
} from '../../site/urls.ts'
import { ARCHIVE_MAX_AGE, archiveCacheControl, changingCacheControl } from './cache-policy.ts'
import { archiveTags, pageTags, subscriptionTags } from './cache-tags.ts'
import { FEED_VARY, wantsFeedPage } from './negotiate.ts'
import { createRepresentation, type Representation } from './representation.ts'
import { baseHeaders, type RespondOptions } from './respond.ts'

/**
 * The feed routes: for the site, each topic and filters over topics, the
 * subscription document (`/rss.xml`, `/topics/<slug>/atom.xml`,
 * `/feed.json?topics=a,b`) and its monthly archives
 * (`/archive/2024-03/rss.xml`, `/topics/<slug>/archive/2024-03/feed.json`).
 */

/** What a route needs to know about its request; made by the app. */
export interface FeedRequestScope {
  site: SiteConfig
  origin: string
  view: PublishedView
  now: number
  /** Prefix of every memo key for this site, origin and view. */
  key: string
}

/** What the app lends the feed routes. */
export interface FeedRouteHelpers<E extends object> {
  scopeOf(c: Context<E>): FeedRequestScope
  serve(
    c: Context<E>,
    scope: FeedRequestScope,
    route: string,
    options: Omit<RespondOptions, 'status'>,
    make: () => Promise<Representation>,
  ): Promise<Response>
  notFound(c: Context<E>): Response
  /** Gives articles whose HTML the bundle leaves out their HTML (see content-loader.ts). */
  loadContent(
    c: Context<E>,
    articles: readonly CompiledArticle[],
  ): Promise<readonly CompiledArticle[]>
}

interface Feed {
  scope: FeedScope
  name?: string
  /** The taxonomy's description of a topic. */
  description?: string
  articles: readonly CompiledArticle[]
}

const encoder = new TextEncoder()

function scopeKey(scope: FeedScope): string {
  if (scope.kind === 'site') return 'site'
  if (scope.kind === 'topic') return `topic\n${scope.slug}`
  return `filter\n${scope.topics.join(',')}\n${scope.exclude.join(',')}`
}

function filterName(
  view: PublishedView,
  scope: { topics: readonly string[]; exclude: readonly string[] },
): string {
  const name = (slug: string) => view.topicBySlug.get(slug)?.name ?? slug
  const included = scope.topics.length > 0 ? scope.topics.map(name).join(', ') : 'All topics'
  return scope.exclude.length > 0
    ? `${included}, without ${scope.exclude.map(name).join(', ')}`
    : included
}

function filterArticles(
  view: PublishedView,
  scope: { topics: readonly string[]; exclude: readonly string[] },
): CompiledArticle[] {
  return view.articles.filter(
    (article) =>
      (scope.topics.length === 0 ||
        article.topics.some((topic) => scope.topics.includes(topic.slug))) &&
      !article.topics.some((topic) => scope.exclude.includes(topic.slug)),
  )
}

function plainError(status: 400 | 404, message: string, method: string): Response {
  const headers = baseHeaders('feed')
  headers.set('Content-Type', 'text/plain; charset=utf-8')
  headers.set('Cache-Control', 'public, max-age=60')
  headers.set('Cache-Tag', pageTags('not-found').join(','))
  return new Response(method === 'HEAD' ? null : `${message}\n`, { status, headers })
}

/** Adds the feed routes to the app. */
export function registerFeedRoutes<E extends object>(
  app: Hono<E>,
  helpers: FeedRouteHelpers<E>,
): void {
  // Plans are memoised per site, origin, view and feed, bounded like the representations.
  const plans = new Map<string, FeedHistory>()
  const PLAN_LIMIT = 500

  function sourceFor(feed: Feed, page: FeedPage, articles: readonly CompiledArticle[]): FeedSource {
    return {
      scope: feed.scope,
      ...(feed.name ? { topicName: feed.name } : {}),
      ...(feed.description ? { topicDescription: feed.description } : {}),
      articles,
      page,
    }
  }

  /** Splits a feed's history so that its subscription document fits the byte budget in every format. */
  function planFor(scope: FeedRequestScope, feed: Feed): FeedHistory {
    const key = `${scope.key}\n${scopeKey(feed.scope)}`
    const known = plans.get(key)
    if (known) return known
    const { site, origin } = scope
    const count = fitCurrentCount(feed.articles.length, site.feedItemLimit, (n) => {
      const history = planFeedHistory(feed.articles, n)
      const model = buildFeedModel(site, origin, {
        ...sourceFor(feed, subscriptionPage(history), history.current),
        ...hubOf(site, feed.scope),
      })
      const options = { stylesheet: `${origin}${FEED_STYLESHEET_PATH}` }
      return FEED_FORMATS.every(
        (format) =>
          encoder.encode(renderFeed(model, format, options)).byteLength <= site.feedByteBudget,
      )
    })
    const plan = planFeedHistory(feed.articles, count)
    if (plans.size >= PLAN_LIMIT) plans.delete(plans.keys().next().value!)
    plans.set(key, plan)
    return plan
  }

  /** The plan, with the HTML of the articles the subscription document may hold loaded first. */
  async function loadPlan(
    c: Context<E>,
    scope: FeedRequestScope,
    feed: Feed,
  ): Promise<FeedHistory> {
    const limit = scope.site.feedItemLimit
    const newest = await helpers.loadContent(c, feed.articles.slice(0, limit))
    return planFor(scope, { ...feed, articles: [...newest, ...feed.articles.slice(limit)] })
  }

  /** Only subscription documents the publisher notifies the hub about advertise it: filters are not notified. */
  function hubOf(site: SiteConfig, scope: FeedScope): { hub?: string } {
    return site.hubUrl && scope.kind !== 'filter' ? { hub: site.hubUrl } : {}
  }

  /** The feed a request is for; a Response when it cannot be served as asked. */
  function feedOf(c: Context<E>, scope: FeedRequestScope, topicSlug?: string): Feed | Response {
    const url = new URL(c.req.url)
    if (topicSlug !== undefined) {
      const topic = scope.view.topicBySlug.get(topicSlug)
      if (!topic) return helpers.notFound(c)
      if (url.search) return c.redirect(url.pathname, 301)
      return {
        scope: { kind: 'topic', slug: topicSlug },
        name: topic.name,
        ...(topic.description ? { description: topic.description } : {}),
        articles: topic.articles,
      }
    }
    const filter = parseFeedFilter(url.searchParams, (slug) => scope.view.topicBySlug.has(slug))
    if (!filter.ok) return plainError(filter.status, `Feed filter: ${filter.message}`, c.req.method)
    // One spelling per filter, so that caches keep one copy of each; a filter
    // of one topic is that topic's own feed.
    const { scope: filtered } = filter
    if (
      filtered.kind === 'filter' &&
      filtered.topics.length === 1 &&
      filtered.exclude.length === 0
    ) {
      const folder = `/topics/${encodeURIComponent(filtered.topics[0]!)}/`
      return c.redirect(
        url.pathname.replace(/^\//, () => folder),
        301,
      )
    }
    const canonical = feedQuery(filtered)
    if (url.search !== canonical) return c.redirect(`${url.pathname}${canonical}`, 301)
    if (filter.scope.kind !== 'filter')
      return { scope: filter.scope, articles: scope.view.articles }
    return {
      scope: filter.scope,
      name: filterName(scope.view, filter.scope),
      articles: filterArticles(scope.view, filter.scope),
    }
  }

  function render(
    scope: FeedRequestScope,
    source: FeedSource,
    format: FeedFormat,
    options: { stylesheet?: string } = {},
  ): Promise<Representation> {
    const model = buildFeedModel(scope.site, scope.origin, source)
    return createRepresentation(
      renderFeed(model, format, options),
      `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
      model.updated,
    )
  }

  /** The readable HTML page of a subscription document, for browsers. */
  function renderPage(
    scope: FeedRequestScope,
    feed: Feed,
    source: FeedSource,
    format: FeedFormat,
  ): Promise<Representation> {
    const model = buildFeedModel(scope.site, scope.origin, source)
    const label = feed.name ?? 'All articles'
    const page = renderFeedPage(scope.site, scope.origin, {
      model,
      scope: feed.scope,
      format,
      label,
    })
    return createRepresentation(page, 'text/html; charset=utf-8', model.updated)
  }

  function serveSubscription(c: Context<E>, format: FeedFormat, topicSlug?: string) {
    const scope = helpers.scopeOf(c)
    const feed = feedOf(c, scope, topicSlug)
    if (feed instanceof Response) return feed
    const hub = hubOf(scope.site, feed.scope)
    const self = feedUrl(scope.origin, feed.scope, format)
    // Browser navigations get the feed's readable page, everything else the feed; each variant has its own ETag.
    const asPage = wantsFeedPage(c.req.raw.headers)
    return helpers.serve(
      c,
      scope,
      `feed\n${scopeKey(feed.scope)}\n${format}${asPage ? '\npage' : ''}`,
      {
        kind: asPage ? 'html' : 'feed',
        cacheControl: changingCacheControl(scope.site.maxAge, scope.now, scope.view.nextDue),
        tags: subscriptionTags(feed.scope, format),
        vary: FEED_VARY,
        // WebSub section 4: the hub and the topic URL, also as HTTP Link headers.
        ...(hub.hub ? { link: `<${hub.hub}>; rel="hub", <${self}>; rel="self"` } : {}),
      },
      async () => {
        const plan = await loadPlan(c, scope, feed)
        const source = { ...sourceFor(feed, subscriptionPage(plan), plan.current), ...hub }
        if (asPage) return renderPage(scope, feed, source, format)
        return render(scope, source, format, {
          stylesheet: `${scope.origin}${FEED_STYLESHEET_PATH}`,
        })
      },
    )
  }

  async function serveArchive(
    c: Context<E>,
    format: FeedFormat,
    month: string,
    topicSlug?: string,
  ) {
    const scope = helpers.scopeOf(c)
    if (!ARCHIVE_MONTH.test(month)) return helpers.notFound(c)
    const feed = feedOf(c, scope, topicSlug)
    if (feed instanceof Response) return feed
    const plan = await loadPlan(c, scope, feed)
    const archive = plan.archives.find((entry) => entry.month === month)
    const page = archivePage(plan, month)
    if (!archive || !page) return helpers.notFound(c)
    const cacheControl = archive.closed
      ? archiveCacheControl()
      : changingCacheControl(scope.site.maxAge, scope.now, scope.view.nextDue)
    return helpers.serve(
      c,
      scope,
      `archive\n${scopeKey(feed.scope)}\n${month}\n${format}`,
      { kind: 'feed', cacheControl, tags: archiveTags(feed.scope, format, archive) },
      async () =>
        render(
          scope,
          {
            ...sourceFor(feed, page, await helpers.loadContent(c, archive.articles)),
            // RSS <ttl> says what Cache-Control says.
            ...(archive.closed ? { ttlSeconds: ARCHIVE_MAX_AGE } : {}),
          },
          format,
        ),
    )
  }

  for (const format of FEED_FORMATS) {
    const file = FEED_FILES[format]
    app.get(`/${file}`, (c) => serveSubscription(c, format))
    app.get(`/topics/:slug/${file}`, (c) => serveSubscription(c, format, c.req.param('slug')))
    app.get(`/archive/:month/${file}`, (c) => serveArchive(c, format, c.req.param('month')))
    app.get(`/topics/:slug/archive/:month/${file}`, (c) =>
      serveArchive(c, format, c.req.param('month'), c.req.param('slug')),
    )
  }
}
