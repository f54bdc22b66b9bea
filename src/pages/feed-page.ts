import type { FeedModel } from '../feeds/feed-model.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { FEED_FORMATS, type FeedFormat, type FeedScope, feedUrl } from '../site/urls.ts'
import { renderTeaserList, type Teaser } from './article-list.ts'
import { markup } from './html.ts'
import { FORMAT_NAMES, type PageFeed, renderLayout } from './layout.ts'

/**
 * The readable page of a feed: what a feed is, its address with a copy
 * button, and its items. The worker serves it to browsers that ask for HTML
 * (see src/worker/http/negotiate.ts); feed-stylesheet.ts renders the same page from
 * the RSS or Atom document itself, with the same words, for browsers that
 * open the feed with XSLT.
 */

/** Words shared by this page and the XSLT stylesheet. */
export const FEED_VIEW_TEXT = {
  heading: 'This is a web feed',
  explanation:
    'Copy its address into a feed reader (NetNewsWire, Feedly, Miniflux, newsboat or any other) and new articles come to you as they are published: no account, no e-mail, and you can leave at any time.',
  copy: 'Copy address',
  itemsHeading: 'Latest articles',
  readOnWeb: 'Read it on the web',
} as const

/** Path of the script behind the copy button; pages work without it. */
export const COPY_SCRIPT_PATH = '/copy-feed-url.js'

export interface FeedPageInput {
  model: FeedModel
  scope: FeedScope
  format: FeedFormat
  /** What the feed covers, as on subscribe links: "All articles" or the topic name. */
  label: string
}

function itemTeaser(item: FeedModel['items'][number]): Teaser {
  return {
    url: item.url,
    title: item.title,
    published: item.published.toISOString(),
    topics: item.categories.map((category) => ({ name: category.label, url: category.url })),
    summary: item.summary,
  }
}

/** Renders the readable HTML page of one feed in one format. */
export function renderFeedPage(site: SiteConfig, origin: string, input: FeedPageInput): string {
  const { model, scope, format } = input
  const address = feedUrl(origin, scope, format)
  const others = FEED_FORMATS.filter((other) => other !== format)
  const feeds: PageFeed[] = [{ label: input.label, scope }]
  if (scope.kind !== 'site') feeds.push({ label: 'All articles', scope: { kind: 'site' } })
  const main = markup`<h1>${model.title}</h1>
<p class="lede">${model.description}</p>
<section class="feed-about" aria-labelledby="feed-about-heading">
<h2 id="feed-about-heading">${FEED_VIEW_TEXT.heading}</h2>
<p>${FEED_VIEW_TEXT.explanation}</p>
<p class="feed-url"><code id="feed-url">${address}</code> <button type="button" data-copy="feed-url" hidden>${FEED_VIEW_TEXT.copy}</button> <span class="copy-status" role="status"></span></p>
<p>${FORMAT_NAMES[format]} feed; also as ${others.map(
    (other, index) =>
      markup`${index > 0 ? ' and ' : ''}<a href="${feedUrl(origin, scope, other)}">${FORMAT_NAMES[other]}</a>`,
  )}. <a href="${model.homePageUrl}">${FEED_VIEW_TEXT.readOnWeb}</a>.</p>
</section>
<section aria-labelledby="feed-items-heading">
<h2 id="feed-items-heading">${FEED_VIEW_TEXT.itemsHeading}</h2>
${renderTeaserList(model.items.map(itemTeaser), { headingLevel: 3 })}
</section>`
  return renderLayout({
    site,
    origin,
    title: `${input.label} (${FORMAT_NAMES[format]} feed)`,
    description: model.description,
    canonical: address,
    feeds,
    main,
    // The page stands for the feed: search engines should index the site's pages instead.
    head: markup`<meta name="robots" content="noindex">
<script src="${origin}${COPY_SCRIPT_PATH}" defer></script>`,
  })
}
