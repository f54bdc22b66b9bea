import { extractFromJson, extractFromXml } from '@extractus/feed-extractor'
import { parseFeed } from '@rowanmanning/feed-parser'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import {
  ALL_FIELDS,
  compareEntries,
  type EntryField,
  type ReaderEntry,
  textContent,
} from '../compare-entries.ts'
import type { CheckResult, FeedFormat, FetchedFeed } from '../report.ts'
import { type CheckContext, type Checker, expectedFor } from './context.ts'

/**
 * Feed parsers from the npm registry that readers are built on, each reading
 * every format it supports, held to the same expectations:
 * - feedsmith: RSS, Atom and JSON Feed;
 * - @extractus/feed-extractor: RSS, Atom and JSON Feed;
 * - @rowanmanning/feed-parser: RSS and Atom.
 */

type Reader = (body: string, format: FeedFormat) => ReaderEntry[]

const date = (value: string | Date | null | undefined): number =>
  value ? new Date(value).getTime() : Number.NaN

/** Atom's `type="html"` text constructs are HTML; a reader shows their text (RFC 4287 section 3.1.1.2). */
const atomText = (text: { value?: string; type?: string } | undefined): string | undefined =>
  text?.type === 'html' ? textContent(text.value ?? '') : text?.value

function readWithFeedsmith(body: string, format: FeedFormat): ReaderEntry[] {
  if (format === 'rss') {
    return (parseRssFeed(body).items ?? []).map((item) => ({
      id: item.guid?.value,
      link: item.link,
      title: item.title,
      published: date(item.pubDate),
      categories: (item.categories ?? []).map((category) => category.name ?? ''),
      authors: item.dc?.creators ?? [],
      image: item.enclosures?.[0]?.url,
      contentHtml: item.content?.encoded,
    }))
  }
  if (format === 'atom') {
    return (parseAtomFeed(body).entries ?? []).map((entry) => ({
      id: entry.id,
      link: entry.links?.find((link) => !link.rel || link.rel === 'alternate')?.href,
      title: atomText(entry.title),
      published: date(entry.published),
      // The term: what readers without label support show.
      categories: (entry.categories ?? []).map((category) => category.term ?? ''),
      authors: (entry.authors ?? []).map((author) => author.name ?? ''),
      image: entry.links?.find((link) => link.rel === 'enclosure')?.href,
      contentHtml: entry.content?.value,
    }))
  }
  return (parseJsonFeed(JSON.parse(body)).items ?? []).map((item) => ({
    id: item.id,
    link: item.url,
    title: item.title,
    published: date(item.date_published),
    categories: item.tags ?? [],
    authors: (item.authors ?? []).map((author) => author.name ?? ''),
    image: item.image,
    contentHtml: item.content_html,
  }))
}

function readWithRowanmanning(body: string): ReaderEntry[] {
  return parseFeed(body).items.map((item) => ({
    id: item.id ?? undefined,
    link: item.url ?? undefined,
    title: item.title ?? undefined,
    published: date(item.published),
    categories: item.categories.map((category) => category.label ?? category.term ?? ''),
    authors: item.authors.map((author) => author.name ?? ''),
    image: item.image?.url ?? item.mediaImages[0]?.url,
    contentHtml: item.content ?? undefined,
  }))
}

function readWithExtractus(body: string, format: FeedFormat): ReaderEntry[] {
  // Its defaults cut descriptions and fetch nothing; full dates keep seconds.
  const options = { descriptionMaxLen: 0, useISODateFormat: true }
  const result =
    format === 'json' ? extractFromJson(JSON.parse(body), options) : extractFromXml(body, options)
  return (result.entries ?? []).map((entry) => ({
    id: entry.id,
    link: entry.link,
    title: entry.title,
    // For Atom it reports `updated` (falling back to `published`) under the name `published`.
    [format === 'atom' ? 'updated' : 'published']: date(entry.published),
  }))
}

interface NpmReader {
  tool: string
  formats: readonly FeedFormat[]
  read: Reader
  fields: (format: FeedFormat) => readonly EntryField[]
}

const READERS: readonly NpmReader[] = [
  {
    tool: 'feedsmith',
    formats: ['rss', 'atom', 'json'],
    read: readWithFeedsmith,
    fields: () => ALL_FIELDS,
  },
  {
    tool: '@rowanmanning/feed-parser',
    formats: ['rss', 'atom'],
    read: readWithRowanmanning,
    // Its `content` has the HTML's entities decoded (`&lt;b&gt;` comes back as `<b>`), so it
    // cannot tell escaped text from markup; the text and links of content are judged by the others.
    fields: () => ['link', 'title', 'published', 'categories', 'authors', 'image'],
  },
  {
    tool: '@extractus/feed-extractor',
    formats: ['rss', 'atom', 'json'],
    read: readWithExtractus,
    // It reports content only as text with the markup stripped, and no categories.
    fields: (format) => ['link', 'title', format === 'atom' ? 'updated' : 'published'],
  },
]

function checkOne(feed: FetchedFeed, context: CheckContext, reader: NpmReader): CheckResult {
  const expected = expectedFor(feed, context)
  const result = { feed: feed.url, tool: reader.tool }
  if ('missing' in expected) return { ...result, problems: [expected.missing] }
  let entries: ReaderEntry[]
  try {
    entries = reader.read(feed.body, feed.format)
  } catch (error) {
    return { ...result, problems: [`parse error: ${(error as Error).message}`] }
  }
  return { ...result, problems: compareEntries(expected, entries, reader.fields(feed.format)) }
}

export const checkWithNpmParsers: Checker = async (feeds, context) =>
  READERS.flatMap((reader) =>
    feeds
      .filter((feed) => reader.formats.includes(feed.format))
      .map((feed) => checkOne(feed, context, reader)),
  )
