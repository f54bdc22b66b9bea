import type { Hono } from 'hono'
import { archiveList, hashSlug, pagePackPath } from '../../contract/pack.ts'
import {
  FILTER_TOKENS,
  type FilterTemplate,
  FRAGMENT_KINDS,
  type FragmentKind,
  type ScopeState,
  variantAt,
} from '../../contract/site-index.ts'
import { parseFeedFilter } from '../../feeds/feed-filter.ts'
import { type FilterPick, pickFilteredItems } from '../../feeds/filtered-feed.ts'
import {
  ARCHIVE_PAGE,
  FEED_FILES,
  FEED_FORMATS,
  type FeedFormat,
  type FeedScope,
  feedQuery,
  feedUrl,
} from '../../site/urls.ts'
import { imfFixdate, isoDate } from '../utc-date.ts'
import { archiveCacheControl } from './cache-policy.ts'
import { archiveTags, pageTags, subscriptionTags } from './cache-tags.ts'
import { evaluatePreconditions } from './conditional-get.ts'
import { FEED_VARY, wantsFeedPage } from './negotiate.ts'
import { lastModifiedAt, type Representation } from './representation.ts'
import type { AppContext, AppEnv } from './request-scope.ts'
import { baseHeaders } from './respond.ts'
import {
  missingAsset,
  notFound,
  serveDocument,
  serveRepresentation,
  serveValidators,
} from './serve-document.ts'

/**
 * The feed routes: for the site, each topic and filters over topics, the
 * subscription document (`/rss.xml`, `/topics/<slug>/atom.xml`,
 * `/feed.json?topics=a,b`) and its archive pages, counted from the oldest
 * (`/archive/3/rss.xml`, `/topics/<slug>/archive/1/feed.json`). Site and
 * topic documents are prerendered; a filtered feed is joined from the
 * prerendered items of the topic feeds into a prerendered template.
 */

interface Feed {
  scope: FeedScope
  /** The scope's state at the request's view; for a filter, the states it draws from. */
  state?: ScopeState
  /** Place of the topic in the index. */
  topic?: number
  filter?: { sources: ScopeState[]; excluded: Set<number>; name: string }
}

const encoder = new TextEncoder()

/** The filter templates' placeholder date, as their RSS and as their Atom and JSON write it. */
const TOKEN_HTTP_DATE = imfFixdate(Math.floor(FILTER_TOKENS.updated / 1000))
const TOKEN_ISO_DATE = isoDate(FILTER_TOKENS.updated)

function plainError(c: AppContext, status: 400 | 404, message: string): Response {
  const headers = baseHeaders('feed')
  headers.set('Content-Type', 'text/plain; charset=utf-8')
  headers.set('Cache-Control', 'public, max-age=60')
  headers.set('Cache-Tag', pageTags('not-found').join(','))
  return new Response(c.req.method === 'HEAD' ? null : `${message}\n`, { status, headers })
}

/** The feed a request is for; a Response when it cannot be served as asked. */
function feedOf(c: AppContext, topicSlug?: string): Feed | Response | Promise<Response> {
  const { index, view } = c.var.scope
  const url = new URL(c.req.url)
  const topicNumber = (slug: string) => index.topics.findIndex((topic) => topic.slug === slug)
  const stateOf = (number: number) => {
    const topic = index.topics[number]
    return topic ? (variantAt(topic.states, view) ?? undefined) : undefined
  }
  if (topicSlug !== undefined) {
    const topic = topicNumber(topicSlug)
    const state = stateOf(topic)
    if (!state) return notFound(c)
    if (url.search) return c.redirect(url.pathname, 301)
    return { scope: { kind: 'topic', slug: topicSlug }, state, topic }
  }
  const filter = parseFeedFilter(
    url.searchParams,
    (slug) => stateOf(topicNumber(slug)) !== undefined,
  )
  if (!filter.ok) return plainError(c, filter.status, `Feed filter: ${filter.message}`)
  // One spelling per filter, so that caches keep one copy of each; a filter
  // of one topic is that topic's own feed.
  const { scope } = filter
  if (scope.kind === 'filter' && scope.topics.length === 1 && scope.exclude.length === 0) {
    const folder = `/topics/${encodeURIComponent(scope.topics[0]!)}/`
    return c.redirect(
      url.pathname.replace(/^\//, () => folder),
      301,
    )
  }
  const canonical = feedQuery(scope)
  if (url.search !== canonical) return c.redirect(`${url.pathname}${canonical}`, 301)
  const siteState = variantAt(index.siteFeed, view)
  if (scope.kind !== 'filter') return { scope, ...(siteState ? { state: siteState } : {}) }
  const name = (slug: string) => index.topics[topicNumber(slug)]?.name ?? slug
  const included = scope.topics.length > 0 ? scope.topics.map(name).join(', ') : 'All topics'
  const sources =
    scope.topics.length > 0
      ? scope.topics.map((slug) => stateOf(topicNumber(slug))!)
      : siteState
        ? [siteState]
        : []
  return {
    scope,
    filter: {
      sources,
      excluded: new Set(scope.exclude.map(topicNumber)),
      name:
        scope.exclude.length > 0
          ? `${included}, without ${scope.exclude.map(name).join(', ')}`
          : included,
    },
  }
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}

type FilteredFeed = Feed & { filter: NonNullable<Feed['filter']> }

/**
 * What a filtered feed holds and its validators: everything but the bytes,
 * from the index alone. The join reads the rest from it.
 */
interface FilteredPlan {
  feed: FilteredFeed
  format: FeedFormat
  asPage: boolean
  kind: FragmentKind
  template: FilterTemplate
  /** The filter's canonical query, without its `?`. */
  query: string
  picks: FilterPick[]
  /** ms since the epoch of the newest item's last change; 0 without items. */
  newest: number
  validators: Representation
}

/** Plans a filtered feed (or its HTML page): its items and validators, from the index alone. */
function planFiltered(
  c: AppContext,
  feed: FilteredFeed,
  format: FeedFormat,
  asPage: boolean,
): FilteredPlan {
  const { index, view, site, origin } = c.var.scope
  const kind = asPage ? 'html' : format
  const template = index.filters[asPage ? (`page-${format}` as const) : format]
  const query = feedQuery(feed.scope).slice(1)
  const picks = pickFilteredItems(feed.filter.sources, feed.filter.excluded, site.feedItemLimit)
  const newest = picks.reduce(
    (latest, pick) => Math.max(latest, pick.item.updated ?? pick.item.published),
    0,
  )
  // The bytes follow from the content, the view, the filter, the kind and the origin.
  const key = `${index.version}\n${view}\n${query}\n${kind}\n${format}\n${index.placeholderOrigin ? origin : ''}`
  return {
    feed,
    format,
    asPage,
    kind,
    template,
    query,
    picks,
    newest,
    validators: {
      body: new Uint8Array(0),
      contentType: index.types[template.type] ?? 'application/octet-stream',
      etag: `"f${hashSlug(key).toString(36)}${hashSlug(`${key}\n`).toString(36)}"`,
      ...lastModifiedAt(newest > 0 ? Math.floor(newest / 1000) : undefined),
    },
  }
}

/** Joins a planned filtered feed (or its HTML page) from prerendered fragments. */
async function joinFiltered(
  c: AppContext,
  plan: FilteredPlan,
): Promise<Representation | undefined> {
  const { reader, fetchAsset, origin, site } = c.var.scope
  const { feed, format, asPage, kind, template, picks, newest } = plan
  const k = FRAGMENT_KINDS.indexOf(kind)
  const markup = kind !== 'json'
  const name = markup ? escapeXml(feed.filter.name) : JSON.stringify(feed.filter.name).slice(1, -1)
  const query = markup ? escapeXml(plan.query) : plan.query
  const tokenQuery = `topics=${FILTER_TOKENS.query}`
  const fill = (text: string) =>
    text
      .replaceAll(FILTER_TOKENS.name, name)
      .replaceAll(tokenQuery, query)
      .replaceAll(TOKEN_ISO_DATE, isoDate(newest))
      .replaceAll(TOKEN_HTTP_DATE, imfFixdate(Math.floor(newest / 1000)))
  const before = encoder.encode(fill(template.before))
  const after = encoder.encode(fill(template.after))
  const separator = encoder.encode(template.separator)
  const parts: Uint8Array[] = [before]
  let size = before.byteLength + after.byteLength
  for (const pick of picks) {
    const ref = asPage ? pick.state.pages.rss : pick.state.feeds[format]
    const bytes = await reader.raw(fetchAsset, ref.path)
    if (!bytes) return undefined
    const [start, end] = pick.item.ranges[k]!
    const fragment = bytes.subarray(start, end)
    const extra = fragment.byteLength + (parts.length > 1 ? separator.byteLength : 0)
    // Within the byte budget, as every feed document; the newest item is always kept.
    if (!asPage && parts.length > 1 && size + extra > site.feedByteBudget) break
    if (parts.length > 1) parts.push(separator)
    parts.push(fragment)
    size += extra
  }
  parts.push(after)
  return { ...plan.validators, body: reader.withOrigin(concat(parts), origin) }
}

async function serveSubscription(c: AppContext, format: FeedFormat, topicSlug?: string) {
  const feed = await feedOf(c, topicSlug)
  if (feed instanceof Response) return feed
  const { site, origin } = c.var.scope
  const hub = site.hubUrl && feed.scope.kind !== 'filter' ? site.hubUrl : undefined
  const self = feedUrl(origin, feed.scope, format)
  // Browser navigations get the feed's readable page, everything else the feed; each variant has its own ETag.
  const asPage = wantsFeedPage(c.req.raw.headers)
  const options = {
    kind: asPage ? ('html' as const) : ('feed' as const),
    tags: subscriptionTags(feed.scope, format),
    vary: FEED_VARY,
    // WebSub section 4: the hub and the topic URL, also as HTTP Link headers.
    ...(hub ? { link: `<${hub}>; rel="hub", <${self}>; rel="self"` } : {}),
  }
  if (feed.filter) {
    const plan = planFiltered(c, { ...feed, filter: feed.filter }, format, asPage)
    // As for a prerendered document, a 304 or 412 needs only the validators: nothing is read.
    if (evaluatePreconditions(c.req.raw.headers, plan.validators, c.var.scope.now) !== 'serve') {
      return serveValidators(c, plan.validators, options)
    }
    const joined = await joinFiltered(c, plan)
    if (!joined) return missingAsset(c, 'a topic feed')
    return serveRepresentation(c, joined, options)
  }
  if (!feed.state) return notFound(c)
  return serveDocument(c, asPage ? feed.state.pages[format] : feed.state.feeds[format], options)
}

async function serveArchive(c: AppContext, format: FeedFormat, page: string, topicSlug?: string) {
  if (!ARCHIVE_PAGE.test(page)) return notFound(c)
  const feed = await feedOf(c, topicSlug)
  if (feed instanceof Response) return feed
  // Filtered feeds are joined from the newest items only: they have no archive.
  const state = feed.state
  const number = Number(page)
  if (!state || feed.filter || number > state.archivePages) return notFound(c)
  const closed = number < state.archivePages
  const tags = archiveTags(feed.scope, format, { page: number, closed })
  if (!closed) return serveDocument(c, state.openArchive?.[format], { kind: 'feed', tags })
  const { index, reader, fetchAsset, origin } = c.var.scope
  const path = pagePackPath(archiveList(feed.topic, format), number, index.packs.pagesPerPack)
  const found = await reader.readPacked(fetchAsset, path, page, origin)
  if (!found || 'movedTo' in found) return missingAsset(c, `${path}#${page}`)
  return serveRepresentation(c, found, { kind: 'feed', tags, cacheControl: archiveCacheControl() })
}

/** Adds the feed routes to the app. */
export function registerFeedRoutes(app: Hono<AppEnv>): void {
  for (const format of FEED_FORMATS) {
    const file = FEED_FILES[format]
    app.get(`/${file}`, (c) => serveSubscription(c, format))
    app.get(`/topics/:slug/${file}`, (c) => serveSubscription(c, format, c.req.param('slug')))
    app.get(`/archive/:page/${file}`, (c) => serveArchive(c, format, c.req.param('page')))
    app.get(`/topics/:slug/archive/:page/${file}`, (c) =>
      serveArchive(c, format, c.req.param('page'), c.req.param('slug')),
    )
  }
}
