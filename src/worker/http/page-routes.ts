import type { Hono } from 'hono'
import { articlePackPath, pagePackPath, topicPagesList } from '../../contract/pack.ts'
import { variantAt } from '../../contract/site-index.ts'
import { COPY_FEED_URL_SCRIPT } from '../../pages/copy-feed-url-script.ts'
import { COPY_SCRIPT_PATH } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH } from '../../pages/feed-stylesheet.ts'
import { STYLESHEET } from '../../pages/stylesheet.ts'
import { articleUrl } from '../../site/urls.ts'
import { changingCacheControl } from './cache-policy.ts'
import { pageTags } from './cache-tags.ts'
import { createRepresentation, type Representation } from './representation.ts'
import type { AppContext, AppEnv } from './request-scope.ts'
import {
  missingAsset,
  notFound,
  serveDocument,
  serveRepresentation,
  serveSiteDocument,
} from './serve-document.ts'
import { serveArticleAsset } from './static-assets.ts'

/**
 * The HTML pages and the files around them: home, the topic index and topic
 * pages (paged), article pages (the newest are also plain static assets
 * Cloudflare answers without the worker; every published one is in a pack,
 * future-dated ones are documents served once due), the sitemap index and its parts, robots.txt, the
 * OPML list, the feed stylesheet and the two constant files.
 */

/** A page number in a URL: digits without a leading zero. */
const PAGE_NUMBER = /^[1-9]\d{0,8}$/

function pageNumber(text: string | undefined): number | undefined {
  return text !== undefined && PAGE_NUMBER.test(text) ? Number(text) : undefined
}

const constants = new Map<string, Promise<Representation>>()

function constant(c: AppContext, name: string, text: string, type: string) {
  let made = constants.get(name)
  if (!made) {
    made = createRepresentation(text, type)
    constants.set(name, made)
  }
  return made.then((representation) =>
    serveRepresentation(c, representation, { kind: 'asset', tags: pageTags(name) }),
  )
}

/** A closed page of a paged list, from its pack. */
async function servePacked(c: AppContext, list: string, page: number, tags: readonly string[]) {
  const { index, reader, fetchAsset, origin } = c.var.scope
  const path = pagePackPath(list, page, index.packs.pagesPerPack)
  const found = await reader.readPacked(fetchAsset, path, String(page), origin)
  if (!found || 'movedTo' in found) return missingAsset(c, `${path}#${page}`)
  return serveRepresentation(c, found, { kind: 'html', tags })
}

function redirectMoved(c: AppContext, slug: string): Response {
  const { origin, site, now, nextDue } = c.var.scope
  const response = c.redirect(articleUrl(origin, slug), 301)
  response.headers.set('Cache-Control', changingCacheControl(site.maxAge, now, nextDue))
  return response
}

async function serveArticle(c: AppContext, slug: string): Promise<Response> {
  const { index, view, reader, fetchAsset, origin, assetsEnv, now } = c.var.scope
  const tags = pageTags(`article:${encodeURIComponent(slug)}`)
  const scheduled = Object.hasOwn(index.scheduledArticles, slug)
    ? index.scheduledArticles[slug]
    : undefined
  if (scheduled)
    return view >= scheduled.from
      ? serveDocument(c, scheduled.page, { kind: 'html', tags })
      : notFound(c)
  for (const [newSlug, entry] of Object.entries(index.scheduledArticles)) {
    if (view >= entry.from && entry.movedFrom.includes(slug)) return redirectMoved(c, newSlug)
  }
  // In the preview an article's entry is made again in place when its file is saved: read and
  // answer it afresh each time, so the edit shows without waiting for the worker to restart.
  const fresh = index.preview
  const found = await reader.readPacked(
    fetchAsset,
    articlePackPath(slug, index.packs.articles),
    slug,
    origin,
    fresh,
  )
  if (found && 'movedTo' in found) return redirectMoved(c, found.movedTo)
  if (found) return serveRepresentation(c, found, { kind: 'html', tags, remember: !fresh })
  // The newest pages are plain assets, which Cloudflare normally answers before the worker runs.
  return serveArticleAsset(assetsEnv, c.req.raw, () => notFound(c), { now })
}

/** Adds the page routes to the app. */
export function registerPageRoutes(app: Hono<AppEnv>): void {
  app.get('/', (c) => serveSiteDocument(c, 'home', { kind: 'html', tags: pageTags('home') }))
  app.get('/style.css', (c) => constant(c, 'style', STYLESHEET, 'text/css; charset=utf-8'))
  app.get(COPY_SCRIPT_PATH, (c) =>
    constant(c, 'copy-script', COPY_FEED_URL_SCRIPT, 'text/javascript; charset=utf-8'),
  )
  app.get(FEED_STYLESHEET_PATH, (c) =>
    serveSiteDocument(c, 'feed-stylesheet', { kind: 'asset', tags: pageTags('feed-stylesheet') }),
  )
  app.get('/feeds.opml', (c) =>
    serveSiteDocument(c, 'opml', { kind: 'feed', tags: pageTags('opml') }),
  )
  app.get('/robots.txt', (c) =>
    serveSiteDocument(c, 'robots', { kind: 'asset', tags: pageTags('robots') }),
  )
  app.get('/sitemap.xml', (c) =>
    serveSiteDocument(c, 'sitemap', { kind: 'asset', tags: pageTags('sitemap') }),
  )
  app.get('/sitemaps/:file', async (c) => {
    const file = c.req.param('file')
    const tags = pageTags('sitemap')
    if (file === 'pages.xml') return serveSiteDocument(c, 'sitemap/pages', { kind: 'asset', tags })
    const part = pageNumber(/^articles-(\d+)\.xml$/.exec(file)?.[1])
    const { index, view } = c.var.scope
    const state = variantAt(index.sitemap, view)
    if (part === undefined || !state || part > state.parts) return notFound(c)
    if (part === state.parts) return serveDocument(c, state.open, { kind: 'asset', tags })
    return servePacked(c, 'sitemap', part, tags)
  })

  app.get('/topics/', (c) =>
    serveSiteDocument(c, 'topics/1', { kind: 'html', tags: pageTags('topics') }),
  )
  app.get('/topics/page/:page/', (c) => {
    const page = pageNumber(c.req.param('page'))
    if (page === undefined || page === 1) return notFound(c)
    return serveSiteDocument(c, `topics/${page}`, { kind: 'html', tags: pageTags('topics') })
  })
  const topicOf = (c: AppContext) => {
    const { index, view } = c.var.scope
    const slug = c.req.param('slug') ?? ''
    const number = index.topics.findIndex((topic) => topic.slug === slug)
    const topic = index.topics[number]
    const pages = topic ? variantAt(topic.pages, view) : undefined
    const state = topic ? variantAt(topic.states, view) : undefined
    return pages && state ? { number, slug, pages } : undefined
  }
  app.get('/topics/:slug/', (c) => {
    const topic = topicOf(c)
    if (!topic) return notFound(c)
    const tags = pageTags(`topic:${encodeURIComponent(topic.slug)}`)
    return serveDocument(c, topic.pages.front, { kind: 'html', tags })
  })
  app.get('/topics/:slug/page/:page/', (c) => {
    const topic = topicOf(c)
    const page = pageNumber(c.req.param('page'))
    if (!topic || page === undefined || page > topic.pages.older) return notFound(c)
    const tags = pageTags(`topic:${encodeURIComponent(topic.slug)}`)
    if (page === topic.pages.older)
      return serveDocument(c, topic.pages.open, { kind: 'html', tags })
    return servePacked(c, topicPagesList(topic.number), page, tags)
  })
  app.get('/articles/:slug/', (c) => serveArticle(c, c.req.param('slug')))

  const redirectToFolder = (c: AppContext) => {
    const url = new URL(c.req.url)
    return c.redirect(`${url.pathname}/${url.search}`, 301)
  }
  // Folders are canonical with a trailing slash; send the other spelling there.
  app.get('/topics/:slug', redirectToFolder)
  app.get('/articles/:slug', redirectToFolder)
  app.get('/topics', (c) => c.redirect('/topics/', 301))
}
