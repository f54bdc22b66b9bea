/**
 * The compiled content: what the build script writes and what the worker imports.
 * Everything here is plain JSON data so it survives bundling unchanged, and no
 * field needs parsing per request.
 */

/**
 * Compiled HTML and image URLs that point into this site use this origin. The
 * worker swaps it for the configured base URL or the request's origin, so one
 * build serves any host. `.invalid` is reserved by RFC 2606 and can never be a
 * real link in an article.
 */
export const ORIGIN_PLACEHOLDER = 'https://origin.invalid'

/** A topic: the slug is the URL segment, the name is what readers see. */
export interface CompiledTopic {
  slug: string
  name: string
}

/** A topic the taxonomy (seeds/topics.yaml) describes. */
export interface DescribedTopic extends CompiledTopic {
  /** Plain text, for the topic page and the topic's feeds. */
  description: string
}

/** One author as the feed formats carry it. */
export interface CompiledAuthor {
  name: string
  url?: string
}

/**
 * An article image with a MIME type that is right for the feed enclosure. An
 * image published from the seeds folder also has its byte length and its
 * size in pixels, read at build time; a remote one has neither.
 */
export interface CompiledImage {
  url: string
  type: string
  length?: number
  width?: number
  height?: number
}

/** One published (non-draft) article, ready to render. */
export interface CompiledArticle {
  /** Stable id, never derived from the title or body. */
  id: string
  /** URL segment under /articles/. */
  slug: string
  /** Plain text. */
  title: string
  /** Plain text. */
  summary: string
  /** Sanitized HTML; site-internal URLs use ORIGIN_PLACEHOLDER. */
  contentHtml?: string
  /** RFC 3339 timestamp in UTC. */
  published: string
  /** RFC 3339 timestamp in UTC, when the article says it was updated. */
  updated?: string
  topics: CompiledTopic[]
  authors: CompiledAuthor[]
  image?: CompiledImage
  imageCaption?: string
  imageCredit?: string
  sourceUrl?: string
  sourceName?: string
  lang?: string
  /** Slugs the article was published under before; they answer 301 to its URL. */
  redirectFrom?: string[]
}

/** Everything the worker serves, newest article first. */
export interface CompiledContent {
  /** Hash of every compiled article; changes whenever anything served changes. */
  version: string
  articles: CompiledArticle[]
  /** Every topic of the taxonomy, in its order; absent when there is none. Stored once, not per article. */
  topics?: DescribedTopic[]
}

/** The article's HTML; fails loudly when an article was compiled without it. */
export function contentOf(article: CompiledArticle): string {
  if (article.contentHtml === undefined) {
    throw new Error(
      `[content] ${article.slug}: contentHtml: missing. Compile the article before rendering it`,
    )
  }
  return article.contentHtml
}
