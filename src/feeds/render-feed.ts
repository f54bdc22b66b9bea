import type { FeedFormat } from '../site/urls.ts'
import type { FeedModel } from './feed-model.ts'
import { renderAtomDocument, renderRssDocument } from './feed-package.ts'
import { renderJsonFeed } from './render-json-feed.ts'

/** Renders a feed model in one format. Pure: no clock, no I/O. */
export function renderFeed(model: FeedModel, format: FeedFormat): string {
  switch (format) {
    case 'rss':
      return renderRssDocument(model)
    case 'atom':
      return renderAtomDocument(model)
    case 'json':
      return renderJsonFeed(model)
  }
}
