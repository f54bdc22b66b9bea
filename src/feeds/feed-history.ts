import type { CompiledArticle } from '../contract/compiled.ts'
import type { FeedPage } from './feed-model.ts'

/**
 * How a feed's articles are split between its subscription document and its
 * archives (RFC 5005 section 4). The subscription document holds the newest
 * articles; every older one is in exactly one archive, the one of the month
 * (UTC) it was published in. Archives are named by month, so their URLs never
 * change, and only the newest archive can still change: it gains the items
 * the subscription document lets go, and its `next-archive` link once a newer
 * archive appears. Every older archive is closed for good (unless an article
 * is later backdated into its month).
 */

/** One archive document: the articles of a month that are not in the subscription document. */
export interface ArchiveMonth {
  /** `YYYY-MM`, UTC. */
  month: string
  /** Newest first. */
  articles: readonly CompiledArticle[]
  /** False for the newest archive, which still changes as new articles arrive. */
  closed: boolean
}

export interface FeedHistory {
  /** The subscription document's articles, newest first. */
  current: readonly CompiledArticle[]
  /** Archives, newest month first. */
  archives: readonly ArchiveMonth[]
}

/** The archive month of an article: its UTC publication month. */
export function monthOf(article: CompiledArticle): string {
  // Compiled dates are RFC 3339 in UTC, so the month is the first seven characters.
  return article.published.slice(0, 7)
}

/** Splits articles (newest first) into a subscription document of `currentCount` and monthly archives. */
export function planFeedHistory(
  articles: readonly CompiledArticle[],
  currentCount: number,
): FeedHistory {
  const current = articles.slice(0, currentCount)
  const byMonth = new Map<string, CompiledArticle[]>()
  for (const article of articles.slice(currentCount)) {
    const month = monthOf(article)
    const list = byMonth.get(month)
    if (list) list.push(article)
    else byMonth.set(month, [article])
  }
  // Articles are newest first, so months come out newest first too.
  const archives = [...byMonth].map(([month, list], index) => ({
    month,
    articles: list,
    closed: index > 0,
  }))
  return { current, archives }
}

/** The page descriptor of the subscription document. */
export function subscriptionPage(history: FeedHistory): FeedPage {
  const older = history.archives[0]?.month
  return older ? { kind: 'subscription', olderMonth: older } : { kind: 'subscription' }
}

/** The page descriptor of an archive, or undefined when the feed has no archive for that month. */
export function archivePage(history: FeedHistory, month: string): FeedPage | undefined {
  const index = history.archives.findIndex((archive) => archive.month === month)
  if (index < 0) return undefined
  const older = history.archives[index + 1]?.month
  const newer = history.archives[index - 1]?.month
  return {
    kind: 'archive',
    month,
    ...(older ? { olderMonth: older } : {}),
    ...(newer ? { newerMonth: newer } : {}),
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
