import type { CompiledArticle, CompiledAuthor, CompiledImage } from '../content/compiled.ts'
import type { SiteConfig } from '../site/site-config.ts'
import {
  articleUrl,
  type FeedFormat,
  type FeedScope,
  feedUrl,
  homeUrl,
  topicUrl,
  withOrigin,
} from '../site/urls.ts'

/**
 * The one feed model every format is rendered from. Everything in it is final:
 * absolute URLs, real dates, items newest first, and `updated` equal to the
 * newest item's date, so the same content always renders the same bytes.
 */

export interface FeedCategory {
  /** Machine name (the topic slug). */
  term: string
  /** What readers see (the topic name). */
  label: string
  /** Page that lists the category's items. */
  url: string
}

export interface FeedItem {
  id: string
  url: string
  title: string
  contentHtml: string
  /** Plain text. */
  summary: string
  published: Date
  /** The article's own update date, when it states one. */
  updated?: Date
  categories: FeedCategory[]
  authors: CompiledAuthor[]
  image?: CompiledImage
  /** The original publication the article comes from. */
  externalUrl?: string
  language?: string
}

export interface FeedModel {
  /** Permanent id of the feed (its home page URL). */
  id: string
  title: string
  description: string
  language: string
  homePageUrl: string
  /** The feed in every format; the renderer of a format uses its own as `self`. */
  links: Record<FeedFormat, string>
  /** Newest item's date; the Unix epoch for an empty feed, never the clock. */
  updated: Date
  authors: CompiledAuthor[]
  /** Seconds a reader may wait before polling again. */
  ttlSeconds: number
  items: FeedItem[]
}

/** What a feed is about, with the articles it may draw from (newest first, already visible). */
export interface FeedSource {
  scope: FeedScope
  /** Display name of the topic, for topic feeds. */
  topicName?: string
  articles: readonly CompiledArticle[]
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/** Readers show the content, not side links, so the original source is named in it too. */
function sourceFooter(article: CompiledArticle): string {
  if (!article.sourceUrl) return ''
  const name = escapeHtml(article.sourceName ?? new URL(article.sourceUrl).hostname)
  return `<p>Original article: <a href="${escapeHtml(article.sourceUrl)}">${name}</a></p>`
}

/** Turns one compiled article into a feed item for the given origin. */
export function toFeedItem(article: CompiledArticle, origin: string): FeedItem {
  return {
    id: article.id,
    url: articleUrl(origin, article.slug),
    title: article.title,
    contentHtml: withOrigin(article.contentHtml, origin) + sourceFooter(article),
    summary: article.summary,
    published: new Date(article.published),
    ...(article.updated ? { updated: new Date(article.updated) } : {}),
    categories: article.topics.map((topic) => ({
      term: topic.slug,
      label: topic.name,
      url: topicUrl(origin, topic.slug),
    })),
    authors: article.authors,
    ...(article.image
      ? { image: { ...article.image, url: withOrigin(article.image.url, origin) } }
      : {}),
    ...(article.sourceUrl ? { externalUrl: article.sourceUrl } : {}),
    ...(article.lang ? { language: article.lang } : {}),
  }
}

/** The date a reader should treat as the item's last change. */
export function itemUpdated(item: FeedItem): Date {
  return item.updated && item.updated > item.published ? item.updated : item.published
}

/** Builds the model of one feed: the newest `site.feedItemLimit` articles of its scope. */
export function buildFeedModel(site: SiteConfig, origin: string, source: FeedSource): FeedModel {
  const items = source.articles
    .slice(0, site.feedItemLimit)
    .map((article) => toFeedItem(article, origin))
  const newest = items.reduce((latest, item) => Math.max(latest, itemUpdated(item).getTime()), 0)
  const scope = source.scope
  const isTopic = scope.kind === 'topic'
  const homePageUrl = isTopic ? topicUrl(origin, scope.slug) : homeUrl(origin)
  return {
    id: homePageUrl,
    title: isTopic ? `${site.title}: ${source.topicName ?? scope.slug}` : site.title,
    description: isTopic
      ? `Articles about ${source.topicName ?? scope.slug} from ${site.title}.`
      : site.description,
    language: site.language,
    homePageUrl,
    links: {
      rss: feedUrl(origin, scope, 'rss'),
      atom: feedUrl(origin, scope, 'atom'),
      json: feedUrl(origin, scope, 'json'),
    },
    updated: new Date(newest),
    authors: [{ name: site.author, url: homeUrl(origin) }],
    ttlSeconds: site.maxAge,
    items,
  }
}
