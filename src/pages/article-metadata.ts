import type { CompiledArticle } from '../contract/compiled.ts'
import { articleModified } from '../site/crawlers.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { articleUrl, homeUrl, withOrigin } from '../site/urls.ts'
import { type HtmlEscapedString, markup, trustedHtml } from './html.ts'

/**
 * What link previews and search engines read from an article page: Open Graph
 * (https://ogp.me), Twitter cards, and schema.org `NewsArticle` as JSON-LD.
 */

/**
 * JSON for a `<script type="application/ld+json">` block. HTML ends a script
 * element at the first `</script` whatever the JSON means, and `<!--` changes
 * how it is parsed (HTML Living Standard, "restrictions for contents of
 * script elements"), so `<`, `>` and `&` are written as JSON escapes, which
 * decode to the same string. U+2028 and U+2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The schema.org NewsArticle (https://schema.org/NewsArticle) of an article page. */
function newsArticle(site: SiteConfig, origin: string, article: CompiledArticle) {
  const url = articleUrl(origin, article.slug)
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary,
    url,
    mainEntityOfPage: url,
    datePublished: article.published,
    dateModified: articleModified(article),
    inLanguage: article.lang ?? site.language,
    ...(article.image ? { image: [withOrigin(article.image.url, origin)] } : {}),
    ...(article.authors.length > 0
      ? {
          author: article.authors.map((author) => ({
            '@type': 'Person',
            name: author.name,
            ...(author.url ? { url: author.url } : {}),
          })),
        }
      : {}),
    publisher: { '@type': 'Organization', name: site.title, url: homeUrl(origin) },
    ...(article.topics.length > 0
      ? { articleSection: article.topics.map((topic) => topic.name) }
      : {}),
    ...(article.sourceUrl ? { isBasedOn: article.sourceUrl } : {}),
  }
}

/** The head tags of an article page beyond the common ones. */
export function renderArticleMetadata(
  site: SiteConfig,
  origin: string,
  article: CompiledArticle,
): HtmlEscapedString {
  const url = articleUrl(origin, article.slug)
  const image = article.image ? withOrigin(article.image.url, origin) : undefined
  const imageAlt = article.imageCaption ?? ''
  return markup`<meta property="og:type" content="article">
<meta property="og:site_name" content="${site.title}">
<meta property="og:title" content="${article.title}">
<meta property="og:description" content="${article.summary}">
<meta property="og:url" content="${url}">
<meta property="og:locale" content="${(article.lang ?? site.language).replace('-', '_')}">
<meta property="article:published_time" content="${article.published}">
<meta property="article:modified_time" content="${articleModified(article)}">
${article.topics.map((topic) => markup`<meta property="article:tag" content="${topic.name}">\n`)}${
  image
    ? markup`<meta property="og:image" content="${image}">
<meta property="og:image:alt" content="${imageAlt}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="${image}">
<meta name="twitter:image:alt" content="${imageAlt}">`
    : markup`<meta name="twitter:card" content="summary">`
}
<meta name="twitter:title" content="${article.title}">
<meta name="twitter:description" content="${article.summary}">
<script type="application/ld+json">${trustedHtml(jsonForScript(newsArticle(site, origin, article)))}</script>`
}
