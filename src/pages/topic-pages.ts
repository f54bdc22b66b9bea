import type { PublishedTopic, PublishedView } from '../site/published.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { topicsUrl, topicUrl } from '../site/urls.ts'
import { renderArticleList } from './article-list.ts'
import { type HtmlEscapedString, markup } from './html.ts'
import { renderLayout } from './layout.ts'

/** Topics with their article counts, linked to their pages; names may be in either direction. */
export function renderTopicList(
  origin: string,
  topics: readonly PublishedTopic[],
): HtmlEscapedString {
  return markup`<ul class="topics">${topics.map(
    (topic) =>
      markup`<li><a href="${topicUrl(origin, topic.slug)}" dir="auto">${topic.name}</a> <span class="count">(${topic.articles.length})</span></li>`,
  )}</ul>`
}

/** The index of every topic with its article count. */
export function renderTopicsPage(site: SiteConfig, origin: string, view: PublishedView): string {
  const main = markup`<h1>Topics</h1>
${renderTopicList(origin, view.topics)}`
  return renderLayout({
    site,
    origin,
    title: 'Topics',
    description: `Every topic covered by ${site.title}.`,
    canonical: topicsUrl(origin),
    feeds: [{ label: 'All articles', scope: { kind: 'site' } }],
    main,
  })
}

/** One topic: its articles, newest first, and its feeds. */
export function renderTopicPage(site: SiteConfig, origin: string, topic: PublishedTopic): string {
  const description = topic.description ?? `Articles about ${topic.name} from ${site.title}.`
  const main = markup`<h1>${topic.name}</h1>
<p class="lede">${description}</p>
${renderArticleList(origin, topic.articles, { headingLevel: 2 })}`
  return renderLayout({
    site,
    origin,
    title: topic.name,
    description,
    canonical: topicUrl(origin, topic.slug),
    feeds: [
      { label: topic.name, scope: { kind: 'topic', slug: topic.slug } },
      { label: 'All articles', scope: { kind: 'site' } },
    ],
    main,
  })
}
