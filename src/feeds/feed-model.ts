import {
  type CompiledArticle,
  type CompiledAuthor,
  type CompiledImage,
  contentOf,
} from '../contract/compiled.ts'
import { type FeedIcons, feedIcons } from '../site/icons.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { escapeHtml } from '../site/text.ts'
import {
  archiveUrl,
  articleUrl,
  type FeedFormat,
  type FeedScope,
  feedUrl,
  homeUrl,
  inEveryFormat,
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
  /** Plain text: what the image shows, and who made it. */
  imageCaption?: string
  imageCredit?: string
  /** The original publication the article comes from. */
  externalUrl?: string
  language?: string
}

/**
 * Where a document sits in the feed's history (RFC 5005). The subscription
 * document holds the newest items; older ones are in archive pages counted
 * from the oldest (see feed-history.ts), each linked to the next older (`prev-archive`) and newer
 * (`next-archive`) one and to the subscription document (`current`).
 */
export interface FeedHistoryLinks {
  /** `fh:complete` (section 2): the subscription document holds every item. */
  complete: boolean
  /** `fh:archive` (section 4): this is an archive document. */
  archive: boolean
  /** The subscription document, on archive documents. */
  current?: Record<FeedFormat, string>
  /** The next older archive document. */
  prevArchive?: Record<FeedFormat, string>
  /** The next newer archive document. */
  nextArchive?: Record<FeedFormat, string>
}

export interface FeedModel {
  /** Permanent id of the feed (its home page URL). */
  id: string
  title: string
  description: string
  language: string
  homePageUrl: string
  /** This document in every format; the renderer of a format uses its own as `self`. */
  links: Record<FeedFormat, string>
  history: FeedHistoryLinks
  /** WebSub hub (W3C WebSub section 4), advertised with `rel="hub"`. */
  hub?: string
  /** Newest item's date; the Unix epoch for an empty feed, never the clock. */
  updated: Date
  authors: CompiledAuthor[]
  /** The site icons each format names (derived at build time, see src/site/icons.ts). */
  icons: FeedIcons
  /** Seconds a reader may wait before polling again. */
  ttlSeconds: number
  items: FeedItem[]
}

/**
 * Which document of the feed's history is built. Without one, the feed is a
 * single document of the newest `feedItemLimit` articles.
 */
export type FeedPage =
  | { kind: 'subscription'; olderPage?: number }
  | { kind: 'archive'; page: number; olderPage?: number; newerPage?: number }

/** What a feed is about, with the articles it may draw from (newest first, already visible). */
export interface FeedSource {
  scope: FeedScope
  /** Display name of the topic, for topic feeds; of every topic, for filtered feeds. */
  topicName?: string
  /** The taxonomy's description of the topic, for topic feeds. */
  topicDescription?: string
  /** With a page: exactly the page's articles; without: the newest of them are taken. */
  articles: readonly CompiledArticle[]
  page?: FeedPage
  /** Seconds a reader may wait before polling again; default the site's max age. */
  ttlSeconds?: number
  /** WebSub hub to advertise; only documents the publisher notifies about should have one. */
  hub?: string
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
    contentHtml: withOrigin(contentOf(article), origin) + sourceFooter(article),
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
    ...(article.image && article.imageCaption ? { imageCaption: article.imageCaption } : {}),
    ...(article.image && article.imageCredit ? { imageCredit: article.imageCredit } : {}),
    ...(article.sourceUrl ? { externalUrl: article.sourceUrl } : {}),
    ...(article.lang ? { language: article.lang } : {}),
  }
}

/** The date a reader should treat as the item's last change. */
export function itemUpdated(item: FeedItem): Date {
  return item.updated && item.updated > item.published ? item.updated : item.published
}

function historyLinks(
  origin: string,
  scope: FeedScope,
  page: FeedPage,
): { self: Record<FeedFormat, string>; history: FeedHistoryLinks } {
  const archive = (number: number) => inEveryFormat((f) => archiveUrl(origin, scope, number, f))
  const older = page.olderPage ? { prevArchive: archive(page.olderPage) } : {}
  if (page.kind === 'subscription') {
    return {
      self: inEveryFormat((f) => feedUrl(origin, scope, f)),
      history: { complete: !page.olderPage, archive: false, ...older },
    }
  }
  return {
    self: archive(page.page),
    history: {
      complete: false,
      archive: true,
      current: inEveryFormat((f) => feedUrl(origin, scope, f)),
      ...older,
      ...(page.newerPage ? { nextArchive: archive(page.newerPage) } : {}),
    },
  }
}

function describeScope(
  site: SiteConfig,
  origin: string,
  source: FeedSource,
): { id: string; title: string; description: string; homePageUrl: string } {
  const scope = source.scope
  if (scope.kind === 'site') {
    return {
      id: homeUrl(origin),
      title: site.title,
      description: site.description,
      homePageUrl: homeUrl(origin),
    }
  }
  const name = source.topicName ?? (scope.kind === 'topic' ? scope.slug : '')
  if (scope.kind === 'topic') {
    const page = topicUrl(origin, scope.slug)
    return {
      id: page,
      title: `${site.title}: ${name}`,
      description: source.topicDescription ?? `Articles about ${name} from ${site.title}.`,
      homePageUrl: page,
    }
  }
  // A filtered feed is its own feed: its id is its Atom URL, which names the filter.
  return {
    id: feedUrl(origin, scope, 'atom'),
    title: `${site.title}: ${name}`,
    description: `Articles from ${site.title}: ${name}.`,
    homePageUrl: homeUrl(origin),
  }
}

/** Builds the model of one feed document: a page of its history, or its newest articles. */
export function buildFeedModel(site: SiteConfig, origin: string, source: FeedSource): FeedModel {
  const page: FeedPage = source.page ?? { kind: 'subscription' }
  const articles = source.page ? source.articles : source.articles.slice(0, site.feedItemLimit)
  const items = articles.map((article) => toFeedItem(article, origin))
  const newest = items.reduce((latest, item) => Math.max(latest, itemUpdated(item).getTime()), 0)
  const { self, history } = historyLinks(origin, source.scope, page)
  if (!source.page) history.complete = articles.length === source.articles.length
  return {
    ...describeScope(site, origin, source),
    language: site.language,
    links: self,
    history,
    ...(source.hub ? { hub: source.hub } : {}),
    updated: new Date(newest),
    authors: [{ name: site.author, url: homeUrl(origin) }],
    icons: feedIcons(origin),
    ttlSeconds: source.ttlSeconds ?? site.maxAge,
    items,
  }
}
