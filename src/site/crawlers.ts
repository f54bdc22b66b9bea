import type { CompiledArticle } from '../contract/compiled.ts'
import { markup } from '../pages/html.ts'
import type { PublishedView } from './published.ts'
import { articleUrl, homeUrl, sitemapUrl, topicsUrl, topicUrl } from './urls.ts'

/**
 * What search engines read: the sitemap (https://www.sitemaps.org/protocol.html)
 * of every page with the time it last changed, and robots.txt pointing at it.
 */

/** The protocol's namespace; test/schemas/sitemap.xsd validates against it. */
export const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9'

/** When an article last changed: its update date when it is later than publication. */
export function articleModified(article: CompiledArticle): string {
  return article.updated && article.updated > article.published
    ? article.updated
    : article.published
}

/** The latest change among articles, as an RFC 3339 timestamp; undefined for none. */
function latestOf(articles: readonly CompiledArticle[]): string | undefined {
  let latest: string | undefined
  for (const article of articles) {
    const modified = articleModified(article)
    // RFC 3339 timestamps in UTC with the same precision sort as strings.
    if (latest === undefined || modified > latest) latest = modified
  }
  return latest
}

/**
 * The sitemap of a view: home, topic index, every topic and every article.
 * The protocol allows 50,000 URLs per file, far beyond one site's articles.
 */
export function renderSitemap(origin: string, view: PublishedView): string {
  const siteModified = latestOf(view.articles)
  const pages: { loc: string; lastmod?: string }[] = [
    { loc: homeUrl(origin), lastmod: siteModified },
    { loc: topicsUrl(origin), lastmod: siteModified },
    ...view.topics.map((topic) => ({
      loc: topicUrl(origin, topic.slug),
      lastmod: latestOf(topic.articles),
    })),
    ...view.articles.map((article) => ({
      loc: articleUrl(origin, article.slug),
      lastmod: articleModified(article),
    })),
  ]
  return markup`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="${SITEMAP_NAMESPACE}">
${pages.map(
  (page) =>
    markup`<url><loc>${page.loc}</loc>${page.lastmod ? markup`<lastmod>${page.lastmod}</lastmod>` : ''}</url>\n`,
)}</urlset>
`.toString()
}

/** robots.txt (RFC 9309): everything may be crawled; the sitemap says what there is. */
export function renderRobotsTxt(origin: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${sitemapUrl(origin)}\n`
}
