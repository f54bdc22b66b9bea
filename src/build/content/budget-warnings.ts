import type { CompiledArticle } from '../../contract/compiled.ts'
import type { Problem } from '../../contract/problem.ts'
import { fitsBudgetAlone } from '../../feeds/item-budget.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { htmlLength } from '../html-store.ts'

/**
 * Warnings for articles too large for a feed document on their own: feeds
 * carry them as their summary and a link (src/feeds/item-budget.ts), which
 * publishes, but is worth knowing before it does.
 */

/** The origin a build measures with when SITE_URL is empty: as long as most real ones. */
const MEASURING_ORIGIN = 'https://news.example.com'

/** One warning per article that fitsBudgetAlone refuses, naming its file (`files` by article id). */
export function findOversizedArticles(
  articles: readonly CompiledArticle[],
  files: Readonly<Record<string, string>>,
  site: SiteConfig,
): Problem[] {
  const origin = site.baseUrl ?? MEASURING_ORIGIN
  return articles
    .filter(
      (article) =>
        htmlLength(article) !== undefined && !fitsBudgetAlone(article, site, origin, htmlLength),
    )
    .map((article) => ({
      file: files[article.id] ?? article.slug,
      field: 'body',
      message: `the article is too large for a feed document of ${site.feedByteBudget} bytes (FEED_BYTE_BUDGET) on its own, so feeds carry only its summary and a link to its page`,
      hint: 'Shorten it or split it into parts to have feeds carry it whole; its page shows it whole either way',
      severity: 'warning' as const,
    }))
}
