import {
  FILTER_TOKENS,
  type FilterTemplate,
  FRAGMENT_KINDS,
  type FragmentKind,
  type SiteIndex,
} from '../../contract/site-index.ts'
import { buildFeedModel } from '../../feeds/feed-model.ts'
import { renderFeed } from '../../feeds/render-feed.ts'
import { renderFeedPage } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH } from '../../pages/feed-stylesheet.ts'
import { type FEED_FORMATS, FEED_MEDIA_TYPES, type FeedScope } from '../../site/urls.ts'
import type { DocumentStore } from './document-store.ts'
import type { FeedBuild } from './feed-scope.ts'
import { FRAGMENT_SEPARATORS, PROBE_ARTICLE, singleItemSpan } from './fragments.ts'

/**
 * Filtered feeds (`?topics=a,b`, `?exclude=c`) are joined per request from
 * the item fragments of the topic feeds (see feed-scope.ts) into a template
 * rendered here, once, by the same writers: the document of a filter around
 * one probe item, split where the item is. Tokens stand for the filter's
 * name, its query and the newest item's date.
 */

/** The templates of every fragment kind, and of each format's HTML page. */
export function renderFilterTemplates(
  build: FeedBuild,
  store: DocumentStore,
): SiteIndex['filters'] {
  const scope: FeedScope = { kind: 'filter', topics: [FILTER_TOKENS.query], exclude: [] }
  const model = {
    ...buildFeedModel(build.site, build.origin, {
      scope,
      topicName: FILTER_TOKENS.name,
      articles: [PROBE_ARTICLE],
      page: { kind: 'subscription' },
    }),
    updated: new Date(FILTER_TOKENS.updated),
  }
  const split = (kind: FragmentKind, document: string, type: string): FilterTemplate => {
    const [start, end] = singleItemSpan(kind, document)
    return {
      before: document.slice(0, start),
      after: document.slice(end),
      separator: FRAGMENT_SEPARATORS[kind],
      type: store.typeOf(type),
    }
  }
  const html = 'text/html; charset=utf-8'
  const page = (format: (typeof FEED_FORMATS)[number]) =>
    split(
      'html',
      renderFeedPage(build.site, build.origin, { model, scope, format, label: FILTER_TOKENS.name }),
      html,
    )
  const feeds = Object.fromEntries(
    FRAGMENT_KINDS.filter((kind) => kind !== 'html').map((kind) => [
      kind,
      split(
        kind,
        renderFeed(model, kind as (typeof FEED_FORMATS)[number], {
          stylesheet: `${build.origin}${FEED_STYLESHEET_PATH}`,
        }),
        `${FEED_MEDIA_TYPES[kind as (typeof FEED_FORMATS)[number]]}; charset=utf-8`,
      ),
    ]),
  )
  return {
    ...feeds,
    html: page('rss'),
    'page-rss': page('rss'),
    'page-atom': page('atom'),
    'page-json': page('json'),
  } as SiteIndex['filters']
}
