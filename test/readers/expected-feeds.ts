import type { CompiledArticle, CompiledContent } from '../../src/contract/compiled.ts'
import { ORIGIN_PLACEHOLDER } from '../../src/contract/compiled.ts'
import type { ExpectedFeed, ExpectedItem, FeedFormat } from './report.ts'

/**
 * What every feed must hold, worked out from the corpus as the content build
 * compiles it (see compiled-content.ts) and the documented URL layout. Nothing here parses a feed or calls the code that renders one, so
 * the expectations cannot share a renderer's mistakes.
 */

export interface ExpectationOptions {
  /** Origin the worker is served from, like `http://127.0.0.1:8730`. */
  origin: string
  /** The `FEED_ITEM_LIMIT` the worker runs with. */
  itemLimit: number
  /** Articles dated after this moment (ms) are not published yet. */
  now: number
  siteTitle: string
}

const FILES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

function expectedItem(article: CompiledArticle, origin: string): ExpectedItem {
  // The README promises the original source as a line in the content too.
  const source = article.sourceUrl
    ? `<p>Original article: <a href="${escapeHtml(article.sourceUrl)}">${escapeHtml(article.sourceName ?? new URL(article.sourceUrl).hostname)}</a></p>`
    : ''
  return {
    id: article.id,
    link: `${origin}/articles/${encodeURIComponent(article.slug)}/`,
    title: article.title,
    published: Date.parse(article.published),
    updated: Math.max(
      Date.parse(article.published),
      Date.parse(article.updated ?? article.published),
    ),
    categories: article.topics.map((topic) => topic.name),
    authors: article.authors.map((author) => author.name),
    ...(article.image
      ? { image: { ...article.image, url: article.image.url.replace(ORIGIN_PLACEHOLDER, origin) } }
      : {}),
    contentHtml: (article.contentHtml ?? '').replaceAll(ORIGIN_PLACEHOLDER, origin) + source,
  }
}

/** The expected feeds, keyed by feed URL: the site's and every published topic's, in every format. */
export function expectFeeds(
  content: CompiledContent,
  options: ExpectationOptions,
): Map<string, ExpectedFeed> {
  const { origin, itemLimit, now } = options
  const published = content.articles.filter((article) => Date.parse(article.published) <= now)
  const scopes: { folder: string; title: string; articles: CompiledArticle[] }[] = [
    { folder: `${origin}/`, title: options.siteTitle, articles: published },
  ]
  const topics = new Map<string, { name: string; articles: CompiledArticle[] }>()
  for (const article of published) {
    for (const topic of article.topics) {
      const entry = topics.get(topic.slug) ?? { name: topic.name, articles: [] }
      entry.articles.push(article)
      topics.set(topic.slug, entry)
    }
  }
  for (const [slug, topic] of topics) {
    scopes.push({
      folder: `${origin}/topics/${encodeURIComponent(slug)}/`,
      title: `${options.siteTitle}: ${topic.name}`,
      articles: topic.articles,
    })
  }
  const feeds = new Map<string, ExpectedFeed>()
  for (const scope of scopes) {
    // Newest first; the compiled content is already in that order.
    const items = scope.articles.slice(0, itemLimit).map((article) => expectedItem(article, origin))
    for (const format of ['rss', 'atom', 'json'] as const) {
      const url = `${scope.folder}${FILES[format]}`
      feeds.set(url, { url, format, title: scope.title, items })
    }
  }
  return feeds
}
