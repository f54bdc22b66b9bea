/**
 * What a deploy changed for subscribers. The record of the last notified
 * deploy holds one entry per compiled article (future-dated ones included);
 * comparing what the old and the new content show *now* gives exactly the
 * articles a deploy added, edited, moved between topics or removed. Articles
 * that merely became due since are left out: the cron already notified
 * about them, and notifying again would be a second ping for one change.
 */

/** One article as the notify record keeps it. */
export interface ArticleRecord {
  /** Hash of everything the feeds show of the article. */
  digest: string
  /** RFC 3339. */
  published: string
  /** Topic slugs. */
  topics: string[]
}

/** The notify record: article id to record. */
export type NotifyRecord = Record<string, ArticleRecord>

/** The topics whose feeds changed between two records at `now`; `changed` covers the site feed. */
export function changesAt(
  previous: NotifyRecord,
  current: NotifyRecord,
  now: number,
): { changed: boolean; topics: string[] } {
  const shown = (record: ArticleRecord | undefined) =>
    record !== undefined && Date.parse(record.published) <= now ? record : undefined
  const topics = new Set<string>()
  let changed = false
  for (const id of new Set([...Object.keys(previous), ...Object.keys(current)])) {
    const before = shown(previous[id])
    const after = shown(current[id])
    if (before?.digest === after?.digest) continue
    changed = true
    for (const slug of [...(before?.topics ?? []), ...(after?.topics ?? [])]) topics.add(slug)
  }
  return { changed, topics: [...topics].sort() }
}
