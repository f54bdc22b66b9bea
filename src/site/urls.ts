import { ORIGIN_PLACEHOLDER } from '../contract/compiled.ts'

/**
 * Every URL the site publishes, in one place, so that pages, feeds and routes
 * cannot disagree about where something lives.
 */

export type FeedFormat = 'rss' | 'atom' | 'json'

export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json']

/** File name of each feed format, under the site root or a topic's folder. */
export const FEED_FILES: Record<FeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
}

/** Media types, as registered with IANA (and `application/feed+json` by JSON Feed 1.1). */
export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}

/**
 * What a feed covers: the whole site, one topic, or a filter over topics
 * (articles in any of `topics`, or in all topics when it is empty, minus
 * articles in any of `exclude`). Filter lists are sorted and free of repeats.
 */
export type FeedScope =
  | { kind: 'site' }
  | { kind: 'topic'; slug: string }
  | { kind: 'filter'; topics: readonly string[]; exclude: readonly string[] }

/** An archive page number (RFC 5005 archives, counted from the oldest), as it appears in URLs. */
export const ARCHIVE_PAGE = /^[1-9]\d{0,8}$/

export function homeUrl(origin: string): string {
  return `${origin}/`
}

export function articleUrl(origin: string, slug: string): string {
  return `${origin}/articles/${encodeURIComponent(slug)}/`
}

export function topicsUrl(origin: string): string {
  return `${origin}/topics/`
}

export function topicUrl(origin: string, slug: string): string {
  return `${origin}/topics/${encodeURIComponent(slug)}/`
}

function feedFolder(origin: string, scope: FeedScope): string {
  return scope.kind === 'topic' ? topicUrl(origin, scope.slug) : homeUrl(origin)
}

/** The canonical query of a filtered feed (`?topics=a,b&exclude=c`); empty for other scopes. */
export function feedQuery(scope: FeedScope): string {
  if (scope.kind !== 'filter') return ''
  const parts: string[] = []
  const list = (slugs: readonly string[]) => slugs.map(encodeURIComponent).join(',')
  if (scope.topics.length > 0) parts.push(`topics=${list(scope.topics)}`)
  if (scope.exclude.length > 0) parts.push(`exclude=${list(scope.exclude)}`)
  return `?${parts.join('&')}`
}

/** The subscription document of a feed. */
export function feedUrl(origin: string, scope: FeedScope, format: FeedFormat): string {
  return `${feedFolder(origin, scope)}${FEED_FILES[format]}${feedQuery(scope)}`
}

/** An archive page of a feed (RFC 5005 section 4), numbered from the oldest. */
export function archiveUrl(
  origin: string,
  scope: FeedScope,
  page: number,
  format: FeedFormat,
): string {
  return `${feedFolder(origin, scope)}archive/${page}/${FEED_FILES[format]}${feedQuery(scope)}`
}

/** A topic's page of older articles, counted from the oldest; without a number, its front page (the newest). */
export function topicPageUrl(origin: string, slug: string, page?: number): string {
  return page === undefined ? topicUrl(origin, slug) : `${topicUrl(origin, slug)}page/${page}/`
}

/** A page of the topic index. */
export function topicsPageUrl(origin: string, page: number): string {
  return page === 1 ? topicsUrl(origin) : `${topicsUrl(origin)}page/${page}/`
}

/** A part of the sitemap: `pages` (home and topics) or a part of articles counted from the oldest. */
export function sitemapPartUrl(origin: string, part: number | 'pages'): string {
  return `${origin}/sitemaps/${part === 'pages' ? 'pages' : `articles-${part}`}.xml`
}

/** The feed in every format, by a URL builder. */
export function inEveryFormat(url: (format: FeedFormat) => string): Record<FeedFormat, string> {
  return { rss: url('rss'), atom: url('atom'), json: url('json') }
}

/** Puts the serving origin into compiled HTML and URLs (see ORIGIN_PLACEHOLDER). */
export function withOrigin(text: string, origin: string): string {
  return text.includes(ORIGIN_PLACEHOLDER) ? text.replaceAll(ORIGIN_PLACEHOLDER, origin) : text
}

/** The OPML subscription list of every feed. */
export function opmlUrl(origin: string): string {
  return `${origin}/feeds.opml`
}

export function sitemapUrl(origin: string): string {
  return `${origin}/sitemap.xml`
}

/** True for a path a feed may be served at: one that ends in a feed's file name. */
export function isFeedPath(pathname: string): boolean {
  const file = pathname.slice(pathname.lastIndexOf('/') + 1)
  return Object.values(FEED_FILES).includes(file)
}
