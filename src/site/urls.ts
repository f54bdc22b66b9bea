import { ORIGIN_PLACEHOLDER } from '../content/compiled.ts'

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

/** What a feed covers: the whole site or one topic. */
export type FeedScope = { kind: 'site' } | { kind: 'topic'; slug: string }

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

export function feedUrl(origin: string, scope: FeedScope, format: FeedFormat): string {
  const folder = scope.kind === 'site' ? homeUrl(origin) : topicUrl(origin, scope.slug)
  return `${folder}${FEED_FILES[format]}`
}

/** Puts the serving origin into compiled HTML and URLs (see ORIGIN_PLACEHOLDER). */
export function withOrigin(text: string, origin: string): string {
  return text.includes(ORIGIN_PLACEHOLDER) ? text.replaceAll(ORIGIN_PLACEHOLDER, origin) : text
}
