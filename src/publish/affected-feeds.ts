import { FEED_FORMATS, type FeedScope, feedUrl } from '../site/urls.ts'

/**
 * Which subscription feeds a change touches: the site feed and the feed of
 * every topic involved, in every format. Archives are not subscribed to, and
 * filtered feeds do not advertise the hub, so neither is notified.
 */

/** The subscription feed URLs of the site and of each topic, every format, sorted. */
export function affectedFeedUrls(origin: string, topicSlugs: Iterable<string>): string[] {
  const scopes: FeedScope[] = [{ kind: 'site' }]
  for (const slug of new Set(topicSlugs)) scopes.push({ kind: 'topic', slug })
  return scopes
    .flatMap((scope) => FEED_FORMATS.map((format) => feedUrl(origin, scope, format)))
    .sort()
}
