import { markup } from '../pages/html.ts'
import type { PublishedView } from '../site/published.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { stripXmlForbidden } from '../site/text.ts'
import { feedUrl, homeUrl, topicUrl } from '../site/urls.ts'

/**
 * The subscription list (OPML 2.0, http://opml.org/spec2.opml) that lets a
 * reader subscribe to the site feed and every topic feed in one import. Each
 * feed is one `type="rss"` outline with `text`, `title`, `xmlUrl` and
 * `htmlUrl` (spec section "Subscription lists"); the RSS version is listed
 * because it is the format every reader imports.
 */

/** Media type readers and browsers recognise for OPML (it has no registered one). */
export const OPML_MEDIA_TYPE = 'text/x-opml'

/** Renders the subscription list of everything published in a view. */
export function renderOpml(site: SiteConfig, origin: string, view: PublishedView): string {
  const newest = view.articles[0]
  const feeds = [
    {
      title: site.title,
      xmlUrl: feedUrl(origin, { kind: 'site' }, 'rss'),
      htmlUrl: homeUrl(origin),
    },
    ...view.topics.map((topic) => ({
      title: `${site.title}: ${topic.name}`,
      xmlUrl: feedUrl(origin, { kind: 'topic', slug: topic.slug }, 'rss'),
      htmlUrl: topicUrl(origin, topic.slug),
    })),
  ]
  // Section "head": dates are RFC 822; the newest article dates the list, never the clock.
  const dated = newest ? new Date(newest.published).toUTCString() : undefined
  const xml = markup`<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
<head>
<title>${site.title}: all feeds</title>
${dated ? markup`<dateCreated>${dated}</dateCreated>\n<dateModified>${dated}</dateModified>\n` : ''}<ownerName>${site.author}</ownerName>
<docs>http://opml.org/spec2.opml</docs>
</head>
<body>
${feeds.map(
  (feed) =>
    markup`<outline type="rss" version="RSS2" text="${feed.title}" title="${feed.title}" xmlUrl="${feed.xmlUrl}" htmlUrl="${feed.htmlUrl}" language="${site.language}"/>\n`,
)}</body>
</opml>
`
  // Site settings may hold characters XML forbids; compiled article text never does.
  return stripXmlForbidden(xml.toString())
}
