import type { CompiledArticle } from '../contract/compiled.ts'
import { markup } from '../pages/html.ts'
import type { PublishedView } from './published.ts'
import { articleUrl, homeUrl, sitemapUrl, topicsUrl, topicUrl } from './urls.ts'

/**
 * What search engines read: the sitemap (https://www.sitemaps.org/protocol.html)
 * of every page with the time it last changed — an index over parts, the
 * pages and the articles in parts counted from the oldest, so that every
 * part but the newest is closed — and robots.txt pointing at it.
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
export function latestOf(articles: readonly CompiledArticle[]): string | undefined {
  let latest: string | undefined
  for (const article of articles) {
    const modified = articleModified(article)
    // RFC 3339 timestamps in UTC with the same precision sort as strings.
    if (latest === undefined || modified > latest) latest = modified
  }
  return latest
}

/**
 * Articles per sitemap part. The protocol allows 50,000 URLs per file; a
 * thousand keep every part well within the byte budget of any document.
 */
export const SITEMAP_PART_SIZE = 1000

/** One URL of a sitemap, or one part of a sitemap index, with when it last changed. */
export interface SitemapEntry {
  loc: string
  lastmod?: string | undefined
}

/** The pages that are not articles: home, the topic index and every topic. */
export function sitemapPages(origin: string, view: PublishedView): SitemapEntry[] {
  const siteModified = latestOf(view.articles)
  return [
    { loc: homeUrl(origin), lastmod: siteModified },
    { loc: topicsUrl(origin), lastmod: siteModified },
    ...view.topics.map((topic) => ({
      loc: topicUrl(origin, topic.slug),
      lastmod: latestOf(topic.articles),
    })),
  ]
}

/** The entry of an article. */
export function sitemapArticle(origin: string, article: CompiledArticle): SitemapEntry {
  return { loc: articleUrl(origin, article.slug), lastmod: articleModified(article) }
}

/** A sitemap file (`<urlset>`). */
export function renderSitemap(entries: readonly SitemapEntry[]): string {
  return markup`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="${SITEMAP_NAMESPACE}">
${entries.map(
  (page) =>
    markup`<url><loc>${page.loc}</loc>${page.lastmod ? markup`<lastmod>${page.lastmod}</lastmod>` : ''}</url>\n`,
)}</urlset>
`.toString()
}

/** The sitemap index (`<sitemapindex>`) that /sitemap.xml serves: one entry per part. */
export function renderSitemapIndex(parts: readonly SitemapEntry[]): string {
  return markup`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="${SITEMAP_NAMESPACE}">
${parts.map(
  (part) =>
    markup`<sitemap><loc>${part.loc}</loc>${part.lastmod ? markup`<lastmod>${part.lastmod}</lastmod>` : ''}</sitemap>\n`,
)}</sitemapindex>
`.toString()
}

/** robots.txt (RFC 9309): everything may be crawled; the sitemap says what there is. */
export function renderRobotsTxt(origin: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${sitemapUrl(origin)}\n`
}
