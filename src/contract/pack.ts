/**
 * Packs: many small documents in one static asset, so that 100,000 articles
 * fit the Workers limit of 20,000 asset files (25 MiB each). A pack starts
 * with a line `EFPACK3 <n>`, then n bytes of JSON — the directory, from entry
 * name to where its bytes are (offsets count from the end of the directory) —
 * then the bodies. The worker reads one pack per request and slices it; which
 * pack holds a document is computed from the request (a hash of the slug, or
 * a page number), so the site index needs no entry per document.
 *
 * Each body is a Zstandard frame of its own (RFC 8878), so the worker
 * inflates only the document it serves (EFPACK2 packs held gzip members).
 * Packs are most of a site's bytes (12 GB at 100,000 articles: each article
 * in three formats of each of its scopes' archives), and every deploy hashes
 * every asset byte, a first deploy uploads them all, and a request moves a
 * whole pack from the asset layer; compressed, they are about 3.5 GB
 * (docs/benchmarks.md). What the worker sends, and its ETag, is the inflated
 * document.
 */

export const PACK_MAGIC = 'EFPACK3'

/** A document in a pack: [offset, length of its frame, etag, modified seconds or -1, type index]. */
export type PackedDocument = [number, number, string, number, number]
/** An old slug in an article pack: [the slug it moved to]. */
export type PackedMove = [string]
export type PackDirectory = Record<string, PackedDocument | PackedMove>

const decoder = new TextDecoder()

/**
 * Where a pack's directory is in its bytes (from, to) and where its bodies
 * start; undefined when the bytes are not a whole pack of this format.
 */
export function packLayout(
  bytes: Uint8Array,
): { directory: [from: number, to: number]; start: number } | undefined {
  const newline = bytes.indexOf(10)
  if (newline < 0) return undefined
  const [magic, length] = decoder.decode(bytes.subarray(0, newline)).split(' ')
  const start = newline + 1 + Number(length)
  if (magic !== PACK_MAGIC || !Number.isInteger(start) || start > bytes.length) return undefined
  return { directory: [newline + 1, start], start }
}

/** FNV-1a (32 bits) of a string's UTF-16 code units: the same in Node and workerd, no I/O. */
export function hashSlug(slug: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < slug.length; i++) {
    hash ^= slug.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** The pack of an article page (or of an old slug that moved), among `packs`. */
export function articlePackPath(slug: string, packs: number): string {
  return `/_packs/articles/${hashSlug(slug) % packs}.pack`
}

/**
 * The pack of a closed page of a paged list: `list` names it (`archive/site/rss`,
 * `archive/topic/<n>/atom`, `topic/<n>`, `sitemap`, where n is the topic's place in
 * the index: slugs may hold any letter, asset paths are kept ASCII), pages count from 1.
 */
export function pagePackPath(list: string, page: number, pagesPerPack: number): string {
  return `/_packs/${list}/${Math.floor((page - 1) / pagesPerPack)}.pack`
}

/** The list name of a topic's older topic pages. */
export function topicPagesList(topic: number): string {
  return `topic/${topic}`
}

/** The list name of a feed scope's archive in one format. */
export function archiveList(topic: number | undefined, format: string): string {
  return topic === undefined ? `archive/site/${format}` : `archive/topic/${topic}/${format}`
}
