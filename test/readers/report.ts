/**
 * What the reader conformance suite passes between its parts: the feeds it
 * fetched, what each should hold, and one result per feed and tool.
 */

export type FeedFormat = 'rss' | 'atom' | 'json'

/** A feed as a reader fetched it. */
export interface FetchedFeed {
  url: string
  format: FeedFormat
  status: number
  contentType: string
  /** The bytes as served. */
  bytes: Uint8Array
  /** The bytes decoded as UTF-8, as readers do for these media types. */
  body: string
}

/** One item as the source of truth says readers must see it. */
export interface ExpectedItem {
  id: string
  link: string
  /** Plain text. */
  title: string
  /** Milliseconds since the epoch. */
  published: number
  /** The last change (the later of published and the article's updated date), in ms. */
  updated: number
  /** Topic names, in the article's order. */
  categories: string[]
  /** Author names, in the article's order. */
  authors: string[]
  /** The article's picture: for one published from the seeds folder, its length and size too. */
  image?: { url: string; type: string; length?: number; width?: number; height?: number }
  /** HTML, with absolute URLs. */
  contentHtml: string
}

/** One feed as the source of truth says readers must see it. */
export interface ExpectedFeed {
  url: string
  format: FeedFormat
  title: string
  items: ExpectedItem[]
}

/** The verdict of one tool on one feed; no problems means the check passed. */
export interface CheckResult {
  feed: string
  tool: string
  problems: string[]
}

/** A failed check as one line per problem: `[readers] URL: tool: problem`. */
export function formatFailures(result: CheckResult): string[] {
  return result.problems.map((problem) => `[readers] ${result.feed}: ${result.tool}: ${problem}`)
}

/** Totals over a set of results, for the `N passed, N failed` line. */
export function countResults(results: readonly CheckResult[]): { passed: number; failed: number } {
  const failed = results.filter((result) => result.problems.length > 0).length
  return { passed: results.length - failed, failed }
}
