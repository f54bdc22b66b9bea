import type { FeedFormat, FeedScope } from '../../site/urls.ts'

/**
 * Cache-Tag values, so that a change purges exactly the responses it
 * affects from Workers Cache (`ctx.cache.purge({ tags })`). Each response
 * carries the tags of what it shows: its feed scope (site, topic, filtered),
 * its format, and for archives the page number, with `:newest` on the one
 * archive that still changes.
 */

function scopeTag(scope: FeedScope): string {
  if (scope.kind === 'site') return 'site'
  if (scope.kind === 'topic') return `topic:${encodeURIComponent(scope.slug)}`
  return 'filtered'
}

/** Tags of a subscription document. */
export function subscriptionTags(scope: FeedScope, format: FeedFormat): string[] {
  return ['feed', `feed:${scopeTag(scope)}`, `format:${format}`]
}

/** Tags of an archive document. */
export function archiveTags(
  scope: FeedScope,
  format: FeedFormat,
  archive: { page: number; closed: boolean },
): string[] {
  const base = `archive:${scopeTag(scope)}`
  return [
    'archive',
    base,
    `${base}:${archive.page}`,
    ...(archive.closed ? [] : [`${base}:newest`]),
    `format:${format}`,
  ]
}

/** Tags of an HTML page: `home`, `topics`, `topic:<slug>`, `article:<slug>` or `not-found` (slugs percent-encoded: tags are ASCII). */
export function pageTags(page: string): string[] {
  return ['page', `page:${page}`]
}

/**
 * What to purge when articles become visible: the subscription documents and
 * newest archives of the site, of every topic they are in and of every
 * filtered feed, the pages that list them, and cached 404s (their own pages
 * answered 404 until now).
 */
export function tagsForNewArticles(topicSlugs: Iterable<string>): string[] {
  const tags = new Set([
    'feed:site',
    'archive:site:newest',
    'feed:filtered',
    'archive:filtered:newest',
    'page:home',
    'page:topics',
    'page:not-found',
  ])
  for (const slug of topicSlugs) {
    tags.add(`feed:topic:${encodeURIComponent(slug)}`)
    tags.add(`archive:topic:${encodeURIComponent(slug)}:newest`)
    tags.add(`page:topic:${encodeURIComponent(slug)}`)
  }
  return [...tags]
}
