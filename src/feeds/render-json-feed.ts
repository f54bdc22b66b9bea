import { stripXmlForbidden } from '../site/text.ts'
import type { FeedItem, FeedModel } from './feed-model.ts'

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). The `feed` package
 * only writes version 1.0 (a single `author`, no `language`), so this format
 * is written here, from the same model as the others.
 */

/** The version URL that JSON Feed 1.1 requires as `version`. */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1'

interface JsonFeedAuthor {
  name: string
  url?: string
}

function authors(list: FeedModel['authors']): JsonFeedAuthor[] {
  return list.map((author) => ({
    name: stripXmlForbidden(author.name),
    ...(author.url ? { url: author.url } : {}),
  }))
}

function jsonItem(item: FeedItem): Record<string, unknown> {
  return {
    id: item.id,
    url: item.url,
    ...(item.externalUrl ? { external_url: item.externalUrl } : {}),
    title: stripXmlForbidden(item.title),
    content_html: stripXmlForbidden(item.contentHtml),
    summary: stripXmlForbidden(item.summary),
    ...(item.image ? { image: item.image.url } : {}),
    date_published: item.published.toISOString(),
    ...(item.updated ? { date_modified: item.updated.toISOString() } : {}),
    ...(item.authors.length > 0 ? { authors: authors(item.authors) } : {}),
    ...(item.categories.length > 0
      ? { tags: item.categories.map((category) => category.label) }
      : {}),
    ...(item.language ? { language: item.language } : {}),
    // Readers that understand attachments fetch the image with its real type.
    ...(item.image
      ? {
          attachments: [
            {
              url: item.image.url,
              mime_type: item.image.type,
              ...(item.image.length !== undefined ? { size_in_bytes: item.image.length } : {}),
            },
          ],
        }
      : {}),
  }
}

/** Renders the model as a JSON Feed 1.1 document. */
export function renderJsonFeed(model: FeedModel): string {
  const document = {
    version: JSON_FEED_VERSION,
    title: stripXmlForbidden(model.title),
    home_page_url: model.homePageUrl,
    feed_url: model.links.json,
    // JSON Feed pages back through history with next_url, the older archive (RFC 5005's prev-archive).
    ...(model.history.prevArchive ? { next_url: model.history.prevArchive.json } : {}),
    ...(model.hub ? { hubs: [{ type: 'WebSub', url: model.hub }] } : {}),
    description: stripXmlForbidden(model.description),
    icon: model.icons.jsonIcon,
    favicon: model.icons.jsonFavicon,
    language: model.language,
    authors: authors(model.authors),
    items: model.items.map(jsonItem),
  }
  return `${JSON.stringify(document, null, 2)}\n`
}
