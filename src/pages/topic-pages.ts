import type { CompiledArticle } from '../contract/compiled.ts'
import type { PublishedTopic } from '../site/published.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { topicPageUrl, topicsPageUrl, topicUrl } from '../site/urls.ts'
import { renderArticleList } from './article-list.ts'
import { type HtmlEscapedString, markup } from './html.ts'
import { renderLayout } from './layout.ts'

/** Articles on a topic page; older ones are on pages counted from the oldest, this many each. */
export const TOPIC_PAGE_SIZE = 50

/** Topics on a page of the topic index. */
export const TOPICS_PER_PAGE = 500

/** Where a page sits among its siblings (HTML `rel="prev"`/`rel="next"`, newest to oldest). */
export interface PageNav {
  /** The newer page, toward the front. */
  newer?: string
  /** The older page. */
  older?: string
}

function navHead(nav: PageNav): HtmlEscapedString {
  return markup`${nav.newer ? markup`<link rel="prev" href="${nav.newer}">\n` : ''}${
    nav.older ? markup`<link rel="next" href="${nav.older}">\n` : ''
  }`
}

function navLinks(
  nav: PageNav,
  labels = { newer: 'Newer articles', older: 'Older articles' },
): HtmlEscapedString | string {
  if (!nav.newer && !nav.older) return ''
  return markup`<nav class="pages" aria-label="Pages">${
    nav.newer ? markup`<a href="${nav.newer}" rel="prev">${labels.newer}</a>` : ''
  }${nav.newer && nav.older ? ' · ' : ''}${
    nav.older ? markup`<a href="${nav.older}" rel="next">${labels.older}</a>` : ''
  }</nav>`
}

/** A topic as the index lists it: name, slug and how many articles it has. */
export interface TopicEntry {
  slug: string
  name: string
  count: number
}

/** Topics with their article counts, linked to their pages; names may be in either direction. */
export function renderTopicList(origin: string, topics: readonly TopicEntry[]): HtmlEscapedString {
  return markup`<ul class="topics">${topics.map(
    (topic) =>
      markup`<li><a href="${topicUrl(origin, topic.slug)}" dir="auto">${topic.name}</a> <span class="count">(${topic.count})</span></li>`,
  )}</ul>`
}

/** A topic's entry in lists. */
export function topicEntry(topic: PublishedTopic): TopicEntry {
  return { slug: topic.slug, name: topic.name, count: topic.articles.length }
}

/** One page (1-based, of `pages`) of the index of every topic with its article count. */
export function renderTopicsPage(
  site: SiteConfig,
  origin: string,
  topics: readonly TopicEntry[],
  position: { page: number; pages: number } = { page: 1, pages: 1 },
): string {
  const nav: PageNav = {
    ...(position.page > 1 ? { newer: topicsPageUrl(origin, position.page - 1) } : {}),
    ...(position.page < position.pages ? { older: topicsPageUrl(origin, position.page + 1) } : {}),
  }
  const main = markup`<h1>Topics</h1>
${renderTopicList(origin, topics)}
${navLinks(nav, { newer: 'Previous topics', older: 'More topics' })}`
  return renderLayout({
    site,
    origin,
    title: position.page > 1 ? `Topics, page ${position.page}` : 'Topics',
    description: `Every topic covered by ${site.title}.`,
    canonical: topicsPageUrl(origin, position.page),
    feeds: [{ label: 'All articles', scope: { kind: 'site' } }],
    main,
    head: navHead(nav),
  })
}

/**
 * One page of a topic: the front page (`page` undefined) lists the newest
 * articles, older pages (counted from the oldest) the rest, newest first.
 * `olderPages` is how many older pages the topic has.
 */
export function renderTopicPage(
  site: SiteConfig,
  origin: string,
  topic: { slug: string; name: string; description?: string },
  articles: readonly CompiledArticle[],
  position: { page?: number; olderPages: number } = { olderPages: 0 },
): string {
  const description = topic.description ?? `Articles about ${topic.name} from ${site.title}.`
  const { page, olderPages } = position
  const nav: PageNav =
    page === undefined
      ? olderPages > 0
        ? { older: topicPageUrl(origin, topic.slug, olderPages) }
        : {}
      : {
          newer: topicPageUrl(origin, topic.slug, page < olderPages ? page + 1 : undefined),
          ...(page > 1 ? { older: topicPageUrl(origin, topic.slug, page - 1) } : {}),
        }
  const main = markup`<h1>${topic.name}</h1>
<p class="lede">${description}</p>
${renderArticleList(origin, articles, { headingLevel: 2 })}
${navLinks(nav)}`
  return renderLayout({
    site,
    origin,
    title: page === undefined ? topic.name : `${topic.name}, page ${page}`,
    description,
    canonical: topicPageUrl(origin, topic.slug, page),
    feeds: [
      { label: topic.name, scope: { kind: 'topic', slug: topic.slug } },
      { label: 'All articles', scope: { kind: 'site' } },
    ],
    main,
    head: navHead(nav),
  })
}
