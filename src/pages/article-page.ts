import { type CompiledArticle, contentOf } from '../contract/compiled.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { articleUrl, topicUrl, withOrigin } from '../site/urls.ts'
import { renderArticleMetadata } from './article-metadata.ts'
import { markup, timeElement, trustedHtml } from './html.ts'
import { renderLayout } from './layout.ts'

/** An article's own page, at the link its feed items use. */
export function renderArticlePage(
  site: SiteConfig,
  origin: string,
  article: CompiledArticle,
): string {
  const updated =
    article.updated && article.updated > article.published
      ? markup` · updated ${timeElement(article.updated)}`
      : ''
  const byline =
    article.authors.length > 0
      ? markup` · by ${article.authors.map((author) => author.name).join(', ')}`
      : ''
  const main = markup`<article class="article"${article.lang ? markup` lang="${article.lang}"` : ''}>
<header>
<h1>${article.title}</h1>
<p class="meta">${timeElement(article.published)}${updated}${byline}</p>
${
  article.topics.length > 0
    ? markup`<ul class="article-topics" aria-label="Topics">${article.topics.map(
        (topic) => markup`<li><a href="${topicUrl(origin, topic.slug)}">${topic.name}</a></li>`,
      )}</ul>`
    : ''
}
</header>
<div class="article-body">
${trustedHtml(withOrigin(contentOf(article), origin))}
</div>
${
  article.sourceUrl
    ? markup`<p class="source">Original article: <a href="${article.sourceUrl}">${article.sourceName ?? article.sourceUrl}</a></p>`
    : ''
}
</article>`
  return renderLayout({
    site,
    origin,
    title: article.title,
    description: article.summary,
    canonical: articleUrl(origin, article.slug),
    feeds: [
      { label: 'All articles', scope: { kind: 'site' } },
      ...article.topics.map((topic) => ({
        label: topic.name,
        scope: { kind: 'topic' as const, slug: topic.slug },
      })),
    ],
    main,
    head: renderArticleMetadata(site, origin, article),
    ...(article.lang ? { lang: article.lang } : {}),
  })
}
