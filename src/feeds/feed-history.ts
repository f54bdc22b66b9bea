import type { CompiledArticle } from '../contract/compiled.ts'
import type { FeedPage } from './feed-model.ts'

/**
 * How a feed's articles are split between its subscription document and its
 * archive pages (RFC 5005 section 4). The subscription document holds the
 * newest articles; every older one is in exactly one archive page. Pages are
 * counted from the oldest and filled in order, each up to a number of items
 * and the byte budget, so a page's content depends only on the articles
 * before it: once a newer page exists a page is closed and never changes, and
 * its URL (`/archive/3/rss.xml`) always names the same items. Only the newest
 * page is open: it gains the items the subscription document lets go.
 */

/** One archive page, numbered from 1 (the oldest). */
export interface ArchivePage {
  number: number
  /** Newest first, as in every document. */
  articles: readonly CompiledArticle[]
  /** False for the newest page, which still changes as new articles arrive. */
  closed: boolean
}

export interface FeedHistory {
  /** The subscription document's articles, newest first. */
  current: readonly CompiledArticle[]
  /** Archive pages, oldest first (index i is page i + 1). */
  pages: readonly ArchivePage[]
}

/**
 * The byte budget of an archive page: each format's document must fit, its
 * frame (the page without items), its items and the separators between them.
 */
export interface PageBudget {
  /** Bytes of a page without items, per format. */
  frame: readonly number[]
  /** Bytes between two items, per format. */
  separator: readonly number[]
  /** Bytes a document may have. */
  limit: number
  /** Bytes of an article's item, per format. */
  itemSizes: (article: CompiledArticle) => readonly number[]
}

/**
 * Splits articles (newest first) into a subscription document of the newest
 * `currentCount` and archive pages of at most `pageSize` articles that each
 * fit `budget` (a single article always fits, so no article is ever left
 * out). A page's bytes are counted as it fills: one look at each article.
 */
export function planFeedHistory(
  articles: readonly CompiledArticle[],
  currentCount: number,
  options: { pageSize: number; budget?: PageBudget },
): FeedHistory {
  const current = articles.slice(0, currentCount)
  const budget = options.budget
  const pages: CompiledArticle[][] = []
  let page: CompiledArticle[] = []
  // Each format's bytes of the page so far, frame and separators included.
  const totals = budget ? [...budget.frame] : []
  for (let i = articles.length - 1; i >= currentCount; i--) {
    const article = articles[i]!
    const sizes = budget?.itemSizes(article)
    let full = page.length >= options.pageSize
    if (!full && budget && page.length > 0) {
      full = totals.some((total, f) => total + budget.separator[f]! + sizes![f]! > budget.limit)
    }
    if (page.length > 0 && full) {
      pages.push(page)
      page = []
      if (budget) totals.splice(0, totals.length, ...budget.frame)
    }
    if (budget && sizes) {
      for (let f = 0; f < totals.length; f++)
        totals[f]! += sizes[f]! + (page.length > 0 ? budget.separator[f]! : 0)
    }
    page.push(article)
  }
  if (page.length > 0) pages.push(page)
  return {
    current,
    pages: pages.map((list, index) => ({
      number: index + 1,
      articles: list.reverse(),
      closed: index < pages.length - 1,
    })),
  }
}

/** The page descriptor of the subscription document. */
export function subscriptionPage(history: FeedHistory): FeedPage {
  const older = history.pages.length
  return older > 0 ? { kind: 'subscription', olderPage: older } : { kind: 'subscription' }
}

/** The page descriptor of archive page `number` of `count` pages. */
export function archivePage(number: number, count: number): FeedPage {
  return {
    kind: 'archive',
    page: number,
    ...(number > 1 ? { olderPage: number - 1 } : {}),
    ...(number < count ? { newerPage: number + 1 } : {}),
  }
}

/**
 * The largest number of newest articles, at most `limit`, whose subscription
 * document fits: `fits` is asked about counts, and is assumed to hold for
 * every count below one it holds for. At least one article is kept, even
 * when it alone is over the budget, so a feed is never empty while it has articles.
 */
export function fitCurrentCount(
  available: number,
  limit: number,
  fits: (count: number) => boolean,
): number {
  const most = Math.min(available, limit)
  if (most <= 1 || fits(most)) return most
  let low = 1
  let high = most - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}
