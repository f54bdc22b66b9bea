import type { Problem } from '../../contract/problem.ts'

/**
 * How much one article may hold. Each limit is far above what a real article
 * needs and far below what would make a feed too big to fetch or a page too
 * big to show: a feed carries up to FEED_ITEM_LIMIT full articles, so one
 * runaway file would otherwise be served in every copy of every feed.
 */
export const ARTICLE_LIMITS = {
  /** Bytes in the whole file, front matter included (1 MiB). */
  fileBytes: 1024 * 1024,
  /** Characters in a title; headlines run to about a hundred. */
  titleLength: 300,
  /** Topics on one article; each one puts the article in another feed. */
  topics: 50,
} as const

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`
}

/** A problem when the file is larger than ARTICLE_LIMITS.fileBytes; checked before decoding. */
export function checkFileSize(file: string, bytes: Uint8Array): Problem | undefined {
  if (bytes.length <= ARTICLE_LIMITS.fileBytes) return undefined
  return {
    file,
    field: 'file',
    message: `is ${describeBytes(bytes.length)}; an article may be at most ${describeBytes(ARTICLE_LIMITS.fileBytes)}`,
    hint: 'Split it into several articles, and link images instead of embedding them as data: URLs',
  }
}
