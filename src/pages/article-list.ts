import type { CompiledArticle } from '../contract/compiled.ts'
import { articleUrl, topicUrl } from '../site/urls.ts'
import { type HtmlEscapedString, markup, timeElement } from './html.ts'

/** What a list shows of one article: the same on the home page, topic pages and feed pages. */
export interface Teaser {
  url: string
  title: string
  /** RFC 3339 timestamp. */
  published: string
  topics: readonly { name: string; url: string }[]
  /** Plain text. */
  summary: string
}

/** Turns a compiled article into its teaser for the given origin. */
export function teaserOf(origin: string, article: CompiledArticle): Teaser {
  return {
    url: articleUrl(origin, article.slug),
    title: article.title,
    published: article.published,
    topics: article.topics.map((topic) => ({
      name: topic.name,
      url: topicUrl(origin, topic.slug),
    })),
    summary: article.summary,
  }
}

/**
 * A list of teasers. Titles, topics and summaries may be in a script of the
 * other direction than the page, so each gets its direction from its own text. `headingLevel` is the level of each teaser's title, one
 * below the heading the list sits under, so headings never skip a level.
 */
export function renderTeaserList(
  teasers: readonly Teaser[],
  options: { headingLevel: 2 | 3 },
): HtmlEscapedString {
  if (teasers.length === 0) return markup`<p>No articles yet.</p>`
  const heading = (teaser: Teaser) =>
    options.headingLevel === 2
      ? markup`<h2 dir="auto"><a href="${teaser.url}">${teaser.title}</a></h2>`
      : markup`<h3 dir="auto"><a href="${teaser.url}">${teaser.title}</a></h3>`
  return markup`<ol class="articles">${teasers.map(
    (teaser) => markup`<li>
<article>
${heading(teaser)}
<p class="meta">${timeElement(teaser.published)}${
      teaser.topics.length > 0
        ? markup` · ${teaser.topics.map(
            (topic, index) =>
              markup`${index > 0 ? ', ' : ''}<a href="${topic.url}" dir="auto">${topic.name}</a>`,
          )}`
        : ''
    }</p>
<p dir="auto">${teaser.summary}</p>
</article>
</li>`,
  )}</ol>`
}

/** The list of article teasers used on the home page and topic pages. */
export function renderArticleList(
  origin: string,
  articles: readonly CompiledArticle[],
  options: { headingLevel: 2 | 3 },
): HtmlEscapedString {
  return renderTeaserList(
    articles.map((article) => teaserOf(origin, article)),
    options,
  )
}
