import type { CompiledArticle, CompiledContent } from '../../contract/compiled.ts'

/**
 * Splitting the compiled content between the worker bundle and static assets
 * (build time). The bundle must stay small, because every isolate parses it
 * at startup and keeps it in memory: it keeps every article's metadata, but
 * the full HTML only of the articles a subscription feed can show — the
 * newest `feedItemLimit` of the site and of each topic — and of the articles
 * dated in the future, which must stay hidden until due and so can never be
 * a static file. Every other article's HTML goes to static assets: its page,
 * pre-rendered, and its content in a chunk per month that the worker fetches
 * when an archive or a filtered feed needs it.
 */

/** Path, under the assets folder, of the chunk holding a month's article content. */
export function contentChunkPath(month: string): string {
  return `/_content/${month}.json`
}

/** What a content chunk holds: article id to its compiled HTML. */
export type ContentChunk = Record<string, string>

export interface SplitContent {
  /** What the worker bundle imports: all metadata, HTML only where a request needs it fast. */
  bundle: CompiledContent
  /** Articles already published at build time, whose pages become static assets. */
  pages: CompiledArticle[]
  /** Month (`YYYY-MM`, UTC) to the content of its articles that are published at build time. */
  chunks: Map<string, ContentChunk>
}

/** Compiled dates are RFC 3339 in UTC, so the month is the first seven characters. */
function monthOf(article: CompiledArticle): string {
  return article.published.slice(0, 7)
}

/** Splits compiled content for a build made at `now` (ms) whose feeds hold `feedItemLimit` items. */
export function splitContent(
  content: CompiledContent,
  options: { now: number; feedItemLimit: number },
): SplitContent {
  const keep = new Set<string>()
  const pages: CompiledArticle[] = []
  const chunks = new Map<string, ContentChunk>()
  const perTopic = new Map<string, number>()
  let site = 0
  // Articles are newest first, so each feed's newest items are met first.
  for (const article of content.articles) {
    if (Date.parse(article.published) > options.now) {
      keep.add(article.id)
      continue
    }
    pages.push(article)
    if (article.contentHtml !== undefined) {
      const month = monthOf(article)
      let chunk = chunks.get(month)
      if (!chunk) {
        chunk = {}
        chunks.set(month, chunk)
      }
      chunk[article.id] = article.contentHtml
    }
    if (site < options.feedItemLimit) keep.add(article.id)
    site++
    for (const topic of article.topics) {
      const count = perTopic.get(topic.slug) ?? 0
      if (count < options.feedItemLimit) keep.add(article.id)
      perTopic.set(topic.slug, count + 1)
    }
  }
  const articles = content.articles.map((article) => {
    if (keep.has(article.id)) return article
    const { contentHtml: _served, ...rest } = article
    return rest
  })
  return { bundle: { ...content, articles }, pages, chunks }
}
