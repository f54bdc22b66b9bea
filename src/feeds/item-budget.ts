import { type CompiledArticle, ORIGIN_PLACEHOLDER } from '../contract/compiled.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { escapeHtml, utf8Length } from '../site/text.ts'
import { articleUrl, FEED_FORMATS } from '../site/urls.ts'
import { buildFeedModel } from './feed-model.ts'
import { renderFeed } from './render-feed.ts'

/**
 * The byte budget at any article size. A subscription document keeps as many
 * of the newest items as fit the budget (see fitCurrentCount), and always at
 * least one; an article too large for the budget alone would still make that
 * one document too large (a 0.97 MB article made 1 MB feeds against 256 kB,
 * and readers drop feeds over 512 kB). Such an article is carried in feeds as
 * its summary and a link to its page, saying so; its page keeps it whole.
 */

/**
 * Bytes of a one-item document left for what differs between feeds of the
 * same site (topic names and descriptions, filter names, origin, archive
 * links), so that the verdict holds for every feed the article is in.
 */
export const ITEM_BUDGET_RESERVE = 4096

/**
 * The most a character of HTML grows to in any format: `"` is `&quot;` in
 * Atom's escaped content, six bytes, and `\u2028` is `\u2028` in JSON.
 */
const MOST_GROWTH = 6

/** A generous size of everything in a one-item document but the item's own text. */
const ONE_ITEM_FRAME = 16 * 1024

/** The sentence an item cut to its summary carries, before the link to the article. */
export const CUT_NOTICE = 'This article is too long to be carried whole in this feed.'

/** The length of an article's HTML, as `contentHtml.length` gives it; undefined without HTML. */
export type HtmlLength = (article: CompiledArticle) => number | undefined

const lengthOfHtml: HtmlLength = (article) => article.contentHtml?.length

/**
 * True when a document holding this article alone stays within the site's
 * byte budget, less ITEM_BUDGET_RESERVE, in every format. Rendered only
 * when the article's HTML is large enough to possibly not fit: below that,
 * its length alone decides (which `htmlLength` may know without the HTML).
 */
export function fitsBudgetAlone(
  article: CompiledArticle,
  site: SiteConfig,
  origin: string,
  htmlLength: HtmlLength = lengthOfHtml,
): boolean {
  const limit = site.feedByteBudget - ITEM_BUDGET_RESERVE
  // Every format carries the title, the summary and the content once, with a few kB around them.
  const length = htmlLength(article) ?? 0
  const most = MOST_GROWTH * (length + article.summary.length + article.title.length)
  if (most + ONE_ITEM_FRAME < limit) return true
  const model = buildFeedModel(site, origin, {
    scope: { kind: 'site' },
    articles: [article],
    page: { kind: 'subscription' },
  })
  return FEED_FORMATS.every((format) => utf8Length(renderFeed(model, format)) <= limit)
}

/** The article with its content replaced by its summary, a notice and a link to its page. */
export function cutToSummary(article: CompiledArticle): CompiledArticle {
  const url = escapeHtml(articleUrl(ORIGIN_PLACEHOLDER, article.slug))
  return {
    ...article,
    contentHtml: `<p>${escapeHtml(article.summary)}</p>\n<p><em>${CUT_NOTICE}</em> <a href="${url}">Read it on the site</a>.</p>`,
  }
}

/**
 * The articles as feeds carry them: each one too large for the byte budget
 * alone (fitsBudgetAlone) cut to its summary and a link (cutToSummary), the
 * others as they are. Pure: the same articles always give the same result.
 * Articles whose HTML is not loaded are left as they are.
 */
export function fitItemsToBudget(
  articles: readonly CompiledArticle[],
  site: SiteConfig,
  origin: string,
  htmlLength: HtmlLength = lengthOfHtml,
): CompiledArticle[] {
  return articles.map((article) =>
    htmlLength(article) === undefined || fitsBudgetAlone(article, site, origin, htmlLength)
      ? article
      : cutToSummary(article),
  )
}
