import { FAVICON_ICO_SIZES, FAVICON_PATH, pngIconPath, TOUCH_ICON } from '../site/icons.ts'
import type { SiteConfig } from '../site/site-config.ts'
import {
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  type FeedFormat,
  type FeedScope,
  feedUrl,
  homeUrl,
  opmlUrl,
  topicsUrl,
} from '../site/urls.ts'
import { type HtmlEscapedString, markup } from './html.ts'

/** The frame every page shares: head with autodiscovery, header, footer with subscribe links. */

export interface PageFeed {
  /** What the feed covers, as readers should see it: "All articles" or a topic name. */
  label: string
  scope: FeedScope
}

export interface PageInput {
  site: SiteConfig
  origin: string
  /** The page's own title, without the site name; undefined on the home page. */
  title?: string
  description: string
  /** Absolute URL of the page. */
  canonical: string
  feeds: readonly PageFeed[]
  main: HtmlEscapedString
  /** Extra tags for the head (Open Graph and the like). */
  head?: HtmlEscapedString
  lang?: string
}

/** Names of the feed formats as readers know them. */
export const FORMAT_NAMES: Record<FeedFormat, string> = {
  rss: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
}

function discoveryLinks(
  origin: string,
  siteTitle: string,
  feeds: readonly PageFeed[],
): HtmlEscapedString[] {
  return feeds.flatMap((feed) =>
    FEED_FORMATS.map(
      (format) =>
        markup`<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${siteTitle}: ${feed.label} (${FORMAT_NAMES[format]})" href="${feedUrl(origin, feed.scope, format)}">`,
    ),
  )
}

/** The site icons (src/site/icons.ts): tabs and bookmarks, Android, and iOS home screens. */
function iconLinks(origin: string): HtmlEscapedString {
  const icoSizes = FAVICON_ICO_SIZES.map((size) => `${size}x${size}`).join(' ')
  return markup`<link rel="icon" href="${origin}${FAVICON_PATH}" sizes="${icoSizes}">
<link rel="icon" href="${origin}${pngIconPath(192)}" type="image/png" sizes="192x192">
<link rel="apple-touch-icon" href="${origin}${TOUCH_ICON.path}">`
}

function subscribeList(origin: string, feeds: readonly PageFeed[]): HtmlEscapedString {
  return markup`<section class="subscribe" aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">Subscribe</h2>
<ul>${feeds.map(
    (feed) =>
      markup`<li>${feed.label}: ${FEED_FORMATS.map(
        (format, index) =>
          markup`${index > 0 ? ' · ' : ''}<a href="${feedUrl(origin, feed.scope, format)}" type="${FEED_MEDIA_TYPES[format]}">${FORMAT_NAMES[format]}</a>`,
      )}</li>`,
  )}
<li>Every topic at once: <a href="${opmlUrl(origin)}" type="text/x-opml">subscription list (OPML)</a></li></ul>
</section>`
}

/** Renders a complete HTML document. */
export function renderLayout(page: PageInput): string {
  const { site, origin } = page
  const fullTitle = page.title ? `${page.title} – ${site.title}` : site.title
  return `<!doctype html>\n${markup`<html lang="${page.lang ?? site.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
<meta name="description" content="${page.description}">
<link rel="canonical" href="${page.canonical}">
<link rel="stylesheet" href="${origin}/style.css">
${iconLinks(origin)}
${discoveryLinks(origin, site.title, page.feeds)}
${page.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="site-title" href="${homeUrl(origin)}">${site.title}</a>
<nav aria-label="Site"><a href="${homeUrl(origin)}">Latest</a> <a href="${topicsUrl(origin)}">Topics</a></nav>
</header>
<main id="main">
${page.main}
</main>
<footer class="site-footer">
${subscribeList(origin, page.feeds)}
</footer>
</body>
</html>`}\n`
}
