import type { CompiledArticle, CompiledContent } from '../contract/compiled.ts'

/**
 * What is published at a given moment. Future-dated articles are compiled in
 * but stay hidden until their date passes, with no new deploy: the worker asks
 * for the view at the time of each request, and a new view (with new ETags)
 * appears exactly when an article becomes due.
 */

export interface PublishedTopic {
  slug: string
  name: string
  /** From the taxonomy, when it describes the topic. */
  description?: string
  /** Published articles in the topic, newest first. */
  articles: readonly CompiledArticle[]
}

export interface PublishedView {
  /** Changes whenever the set of published articles changes. */
  key: string
  /** Published articles, newest first. */
  articles: readonly CompiledArticle[]
  /** Topics with at least one published article, by name. */
  topics: readonly PublishedTopic[]
  topicBySlug: ReadonlyMap<string, PublishedTopic>
  /** When the next future-dated article becomes due (ms since the epoch), if any. */
  nextDue?: number
}

function buildView(
  content: CompiledContent,
  start: number,
  publishedAt: readonly number[],
  descriptions: ReadonlyMap<string, string>,
): PublishedView {
  const articles = content.articles.slice(start)
  const topicBySlug = new Map<string, PublishedTopic & { articles: CompiledArticle[] }>()
  for (const article of articles) {
    for (const topic of article.topics) {
      let entry = topicBySlug.get(topic.slug)
      if (!entry) {
        const description = descriptions.get(topic.slug)
        entry = {
          slug: topic.slug,
          name: topic.name,
          ...(description ? { description } : {}),
          articles: [],
        }
        topicBySlug.set(topic.slug, entry)
      }
      entry.articles.push(article)
    }
  }
  const topics = [...topicBySlug.values()].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || (a.slug < b.slug ? -1 : 1),
  )
  const nextDue = start > 0 ? publishedAt[start - 1] : undefined
  return {
    key: `${content.version}.${articles.length}`,
    articles,
    topics,
    topicBySlug,
    ...(nextDue === undefined ? {} : { nextDue }),
  }
}

/** Views of the content by time; each distinct view is built once per isolate. */
export interface Publisher {
  viewAt(now: number): PublishedView
}

/** Creates the publisher for one compiled content set. */
export function createPublisher(content: CompiledContent): Publisher {
  const publishedAt = content.articles.map((article) => Date.parse(article.published))
  const descriptions = new Map(
    (content.topics ?? []).map((topic) => [topic.slug, topic.description]),
  )
  const views = new Map<number, PublishedView>()
  return {
    viewAt(now) {
      // Articles are newest first, so the future-dated ones form a prefix.
      let start = 0
      while (start < publishedAt.length && publishedAt[start]! > now) start++
      let view = views.get(start)
      if (!view) {
        view = buildView(content, start, publishedAt, descriptions)
        views.set(start, view)
      }
      return view
    },
  }
}
