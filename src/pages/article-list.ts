import type { CompiledArticle } from '../content/compiled.ts'
import { articleUrl, topicUrl } from '../site/urls.ts'
import { type HtmlEscapedString, markup, timeElement } from './html.ts'

/** The list of article teasers used on the home page and topic pages. */
export function renderArticleList(
  origin: string,
  articles: readonly CompiledArticle[],
): HtmlEscapedString {
  if (articles.length === 0) return markup`<p>No articles yet.</p>`
  return markup`<ol class="articles">${articles.map(
    (article) => markup`<li>
<article>
<h3><a href="${articleUrl(origin, article.slug)}">${article.title}</a></h3>
<p class="meta">${timeElement(article.published)}${
      article.topics.length > 0
        ? markup` · ${article.topics.map(
            (topic, index) =>
              markup`${index > 0 ? ', ' : ''}<a href="${topicUrl(origin, topic.slug)}">${topic.name}</a>`,
          )}`
        : ''
    }</p>
<p>${article.summary}</p>
</article>
</li>`,
  )}</ol>`
}
