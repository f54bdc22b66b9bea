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
 * Splits articles (newest first) into a subscription document of the newest
 * `currentCount` and archive pages of at most `pageSize` articles that each
 * satisfy `fits` (asked with a page's articles oldest first; a single article
 * always fits, so no article is ever left out).
 */
export function planFeedHistory(
  articles: readonly CompiledArticle[],
  currentCount: number,
  options: { pageSize: number; fits?: (oldestFirst: readonly CompiledArticle[]) => boolean },
): FeedHistory {
  const current = articles.slice(0, currentCount)
  const archived = articles.slice(currentCount).reverse()
  const pages: CompiledArticle[][] = []
  let page: CompiledArticle[] = []
  for (const article of archived) {
    if (
      page.length > 0 &&
      (page.length >= options.pageSize || (options.fits && !options.fits([...page, article])))
    ) {
      pages.push(page)
      page = []
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
