import { type ContentChunk, contentChunkPath } from '../build/content/split-content.ts'
import type { CompiledArticle } from '../contract/compiled.ts'

/**
 * Loading the HTML of articles that the worker bundle leaves out (see
 * split-content.ts): a month's chunk is fetched from the static assets the
 * first time an archive or a filtered feed needs one of its articles, and kept
 * for the life of the isolate, a bounded number of months at a time.
 */

/** Fetches one static asset by path, as the ASSETS binding does. */
export type FetchAsset = (path: string) => Promise<Response>

/** The article's HTML; fails loudly when a route forgot to load it first. */
export function contentOf(article: CompiledArticle): string {
  if (article.contentHtml === undefined) {
    throw new Error(
      `[content] ${article.slug}: contentHtml: not loaded. Pass the articles through loadContent before rendering them`,
    )
  }
  return article.contentHtml
}

/** Gives articles their HTML, fetching the months they need. */
export interface ContentLoader {
  /** The same articles, in the same order, each with its contentHtml. */
  loadContent(articles: readonly CompiledArticle[]): Promise<readonly CompiledArticle[]>
}

/** Months kept in memory at once: about a year of chunks of a busy site. */
const MONTHS_KEPT = 12

/** Creates a loader that reads chunks with `fetchAsset` (undefined: everything must be in the bundle). */
export function createContentLoader(fetchAsset: FetchAsset | undefined): ContentLoader {
  const months = new Map<string, Promise<ContentChunk>>()

  function chunkFor(month: string): Promise<ContentChunk> {
    const known = months.get(month)
    if (known) return known
    if (!fetchAsset) {
      return Promise.reject(
        new Error(
          `[content] ${contentChunkPath(month)}: no ASSETS binding to load it from. Add [assets] to wrangler.toml`,
        ),
      )
    }
    const loading = fetchAsset(contentChunkPath(month)).then((response) => {
      if (!response.ok) throw new Error(`[content] ${contentChunkPath(month)}: ${response.status}`)
      return response.json() as Promise<ContentChunk>
    })
    if (months.size >= MONTHS_KEPT) months.delete(months.keys().next().value!)
    months.set(month, loading)
    loading.catch(() => months.delete(month))
    return loading
  }

  return {
    async loadContent(articles) {
      if (articles.every((article) => article.contentHtml !== undefined)) return articles
      const needed = new Set(
        articles
          .filter((article) => article.contentHtml === undefined)
          .map((article) => article.published.slice(0, 7)),
      )
      const chunks = new Map(
        await Promise.all(
          [...needed].map(async (month) => [month, await chunkFor(month)] as const),
        ),
      )
      return articles.map((article) => {
        if (article.contentHtml !== undefined) return article
        const contentHtml = chunks.get(article.published.slice(0, 7))?.[article.id]
        if (contentHtml === undefined) {
          throw new Error(
            `[content] ${article.slug}: not in ${contentChunkPath(article.published.slice(0, 7))}. Rebuild and deploy the worker with its assets`,
          )
        }
        return { ...article, contentHtml }
      })
    },
  }
}
