/**
 * The site index: what the content build hands the worker besides static
 * assets (generated/content.js, with each topic's states and pages in
 * generated/content-topics.bin: see site-index-module.ts). It is small by
 * design — bounded by the number of topics times the feed size, never by the
 * archive — because every isolate loads it at startup and keeps it for its
 * life. Everything bigger lives in static assets: documents under
 * DOCUMENTS_PREFIX, packs under PACKS_PREFIX (see pack.ts), both private
 * (wrangler.toml routes them to the worker first, and the worker answers 404
 * to direct requests).
 *
 * Views: the build knows every future-dated article's due time. View 0 is what
 * is published when the build runs; view v starts at `dueTimes[v - 1]`. Every
 * document that changes at a due time has a variant for that view, so no
 * request ever renders anything.
 */

import type { SiteConfig } from '../site/site-config.ts'

/** Bumped whenever the shape below changes; the worker refuses another. */
export const SITE_INDEX_FORMAT = 3

/** Where prerendered documents live in the static assets, by their ETag. */
export const DOCUMENTS_PREFIX = '/_docs/'

/** Where a prerendered document is stored: named by its ETag, so equal documents are stored once. */
export function documentPath(etag: string): string {
  return `${DOCUMENTS_PREFIX}${etag.slice(1, -1)}.bin`
}

/** Where packs live in the static assets. */
export const PACKS_PREFIX = '/_packs/'

/** One prerendered document: final bytes at `path`, with its validators. */
export interface DocumentRef {
  /** Asset path, under DOCUMENTS_PREFIX. */
  path: string
  /** Strong ETag of the bytes, quoted (RFC 9110 section 8.8.3). */
  etag: string
  /** Last-Modified, in whole seconds since the epoch; absent when nothing dates it. */
  modified?: number
  /** Index into SiteIndex.types. */
  type: number
}

/** A document that may change at due times: variants by the view they start at, ascending. */
export type Variants<T> = { from: number; value: T }[]

/** One of the newest items of a scope, with where its prerendered fragments are. */
export interface ItemRef {
  /** Article id. */
  id: string
  /** Published, ms since the epoch. */
  published: number
  /** When the item last changed, ms since the epoch, when later than published. */
  updated?: number
  /** Indexes into SiteIndex.topics of the article's topics. */
  topics: number[]
  /**
   * Byte ranges [start, end) of the item in the scope's subscription documents,
   * by FRAGMENT_KINDS: the RSS <item>, the Atom <entry>, the JSON Feed item and
   * the teaser <li> of the feed's HTML page.
   */
  ranges: [number, number][]
}

/** The documents a fragment kind is sliced from, in ItemRef.ranges order. */
export const FRAGMENT_KINDS = ['rss', 'atom', 'json', 'html'] as const
export type FragmentKind = (typeof FRAGMENT_KINDS)[number]

/** What a feed scope (the site or a topic) is at one view. */
export interface ScopeState {
  /** The subscription document per FRAGMENT_KINDS (html: its readable page, same for every format's page but the address). */
  feeds: Record<'rss' | 'atom' | 'json', DocumentRef>
  /** The readable HTML page of each format's subscription document, for browsers. */
  pages: Record<'rss' | 'atom' | 'json', DocumentRef>
  /** The subscription document's items, newest first. */
  items: ItemRef[]
  /** True when the items are every article of the scope. */
  complete: boolean
  /** Archive pages, counted from the oldest; the last one is still open. */
  archivePages: number
  /** The open (newest) archive page in each format, when there is one. */
  openArchive?: Record<'rss' | 'atom' | 'json', DocumentRef>
}

export interface TopicIndex {
  slug: string
  name: string
  /** Per view; absent at views where the topic has no published article. */
  states: Variants<ScopeState | null>
  /** Topic pages: page 1 is the front page (newest); older pages are counted from the oldest. */
  pages: Variants<{ front: DocumentRef; older: number; open?: DocumentRef }>
}

/** The template a filtered feed is joined into, per FRAGMENT_KINDS. */
export interface FilterTemplate {
  /** Bytes before the items and after them, with FILTER_TOKENS to fill in. */
  before: string
  after: string
  /** What goes between two items (JSON: a comma). */
  separator: string
  type: number
}

/** Stand-ins in filter templates, replaced per request by escaped values. */
export const FILTER_TOKENS = {
  name: 'zzfilternamezz',
  query: 'zzfilterqueryzz',
  /** An instant no article has: 2001-02-03T04:05:06Z, in each format's spelling. */
  updated: Date.UTC(2001, 1, 3, 4, 5, 6),
} as const

export interface SiteIndex {
  format: typeof SITE_INDEX_FORMAT
  /** The compiled content's version. */
  version: string
  /** The settings the documents were built with; a dashboard-only change needs a new deploy. */
  site: SiteConfig
  /** True when documents carry ORIGIN_PLACEHOLDER, replaced per request by the request's origin. */
  placeholderOrigin: boolean
  /**
   * True when built for the authoring preview (`npm run dev`), whose fast path
   * makes a saved article's entry of its article pack again in place while
   * the worker runs (src/build/preview/quick-article-page.ts): the worker
   * then reads article packs on every request instead of keeping them, and
   * remembers no article page made from one. A deployed pack never changes
   * under its worker.
   */
  preview: boolean
  /** Media types, referred to by index. */
  types: string[]
  /** Due times of future-dated articles, ms since the epoch, ascending and distinct. */
  dueTimes: number[]
  /** Articles due at each due time: their topic slugs, for the cron's purge and hub ping. */
  due: { at: number; topics: string[]; slugs: string[] }[]
  /** Site-wide documents by route name (home, topics pages, sitemap, opml, robots, stylesheet, 404). */
  documents: Record<string, Variants<DocumentRef | null>>
  /** The site feed per view. */
  siteFeed: Variants<ScopeState>
  /** Topics in name order. */
  topics: TopicIndex[]
  /** Filter templates per FRAGMENT_KINDS, and the page variant of each format. */
  filters: Record<FragmentKind | 'page-rss' | 'page-atom' | 'page-json', FilterTemplate>
  /** Packs of older documents; see pack.ts for paths. */
  packs: {
    /** Article page packs, chosen by a hash of the slug. */
    articles: number
    /** Closed pages per pack (archive pages, topic pages, sitemap parts). */
    pagesPerPack: number
  }
  /** Article pages served from documents: future-dated ones, by slug, with their redirect_from. */
  scheduledArticles: Record<string, { from: number; page: DocumentRef; movedFrom: string[] }>
  /** Sitemap: articles per part; parts counted from the oldest, the last one open. */
  sitemap: Variants<{ parts: number; open: DocumentRef }>
}

/** The view at `now`: how many due times have passed. */
export function viewAt(index: Pick<SiteIndex, 'dueTimes'>, now: number): number {
  const times = index.dueTimes
  let low = 0
  let high = times.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (times[middle]! <= now) low = middle + 1
    else high = middle
  }
  return low
}

/** The variant in force at a view, or undefined before the first. */
export function variantAt<T>(variants: Variants<T>, view: number): T | undefined {
  let found: T | undefined
  for (const variant of variants) {
    if (variant.from > view) break
    found = variant.value
  }
  return found
}
