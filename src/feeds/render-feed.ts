import type { FeedFormat } from '../site/urls.ts'
import type { FeedModel } from './feed-model.ts'
import { renderAtomDocument, renderRssDocument } from './feed-package.ts'
import { renderJsonFeed } from './render-json-feed.ts'

export interface RenderFeedOptions {
  /** Absolute URL of the XSLT stylesheet that browsers apply to RSS and Atom (JSON has none). */
  stylesheet?: string
}

/** Renders a feed model in one format. Pure: no clock, no I/O. */
export function renderFeed(
  model: FeedModel,
  format: FeedFormat,
  options: RenderFeedOptions = {},
): string {
  switch (format) {
    case 'rss':
      return renderRssDocument(model, options)
    case 'atom':
      return renderAtomDocument(model, options)
    case 'json':
      return renderJsonFeed(model)
  }
}
