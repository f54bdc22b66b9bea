import { parseDocument } from 'htmlparser2'
import type { ExpectedFeed, ExpectedItem } from './report.ts'

/**
 * Compares what one reader parsed out of a feed with what the source of truth
 * says it must show. Every tool's adapter turns its own output into entries of
 * this shape, so all tools are held to the same rules.
 */

/** One entry as a reader parsed it; a field the tool does not report is left out. */
export interface ReaderEntry {
  id?: string | undefined
  link?: string | undefined
  title?: string | undefined
  /** Milliseconds since the epoch, NaN when the tool could not read the date. */
  published?: number | undefined
  /** The entry's last change, in ms, for tools that report that instead of `published`. */
  updated?: number | undefined
  categories?: string[] | undefined
  /** Author names as the tool lists them. */
  authors?: string[] | undefined
  /** URL of the item's picture, as the tool finds it. */
  image?: string | undefined
  contentHtml?: string | undefined
}

/** Which fields a tool reports, and so which are compared. */
export type EntryField = Exclude<keyof ReaderEntry, 'id'>

/** Every field: what a tool that reads the whole entry is held to. */
export const ALL_FIELDS: readonly EntryField[] = [
  'link',
  'title',
  'published',
  'categories',
  'authors',
  'image',
  'contentHtml',
]

interface HtmlNode {
  type: string
  data?: string
  attribs?: Record<string, string>
  children?: HtmlNode[]
}

function walk(node: HtmlNode, visit: (node: HtmlNode) => void): void {
  visit(node)
  for (const child of node.children ?? []) walk(child, visit)
}

/** The text a reader shows for some HTML: entities decoded, white space collapsed. */
export function visibleText(html: string): string {
  const parts: string[] = []
  walk(parseDocument(html) as unknown as HtmlNode, (node) => {
    if (node.type === 'text' && node.data) parts.push(node.data)
    // Block boundaries separate words even where the markup has no white space.
    if (node.type === 'tag') parts.push(' ')
  })
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** The text of an HTML fragment, entities decoded and white space kept: an Atom `type="html"` title as shown. */
export function textContent(html: string): string {
  const parts: string[] = []
  walk(parseDocument(html) as unknown as HtmlNode, (node) => {
    if (node.type === 'text' && node.data) parts.push(node.data)
  })
  return parts.join('')
}

/** Every `href` and `src` in some HTML, entities decoded, in document order. */
export function linkTargets(html: string): string[] {
  const targets: string[] = []
  walk(parseDocument(html) as unknown as HtmlNode, (node) => {
    for (const name of ['href', 'src']) {
      const value = node.attribs?.[name]
      if (value !== undefined) targets.push(value)
    }
  })
  return targets
}

function quote(value: unknown): string {
  if (value === undefined || value === null) return 'nothing'
  const text = typeof value === 'string' ? value : String(value)
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text)
}

/** Where two texts part, for a message short enough to read. */
function firstDifference(expected: string, actual: string): string {
  let at = 0
  while (at < expected.length && expected[at] === actual[at]) at++
  const from = Math.max(0, at - 20)
  return `differs at character ${at}: expected ${quote(expected.slice(from, at + 40))}, got ${quote(actual.slice(from, at + 40))}`
}

/** Dates are compared to the second: RFC 822 has no fractions. */
function seconds(ms: number | undefined): number {
  return ms === undefined ? Number.NaN : Math.floor(ms / 1000)
}

function compareItem(
  expected: ExpectedItem,
  entry: ReaderEntry,
  fields: readonly EntryField[],
): string[] {
  const problems: string[] = []
  const where = `item ${expected.id}`
  if (fields.includes('link') && entry.link !== expected.link)
    problems.push(`${where}: link: expected ${quote(expected.link)}, got ${quote(entry.link)}`)
  if (fields.includes('title') && entry.title !== expected.title)
    problems.push(`${where}: title: ${firstDifference(expected.title, entry.title ?? '')}`)
  for (const field of ['published', 'updated'] as const) {
    if (fields.includes(field) && seconds(entry[field]) !== seconds(expected[field])) {
      const got = entry[field]
      const shown =
        got === undefined || Number.isNaN(got) ? 'no readable date' : new Date(got).toISOString()
      problems.push(
        `${where}: ${field}: expected ${new Date(expected[field]).toISOString()}, got ${shown}`,
      )
    }
  }
  if (fields.includes('categories')) {
    const want = [...expected.categories].sort()
    const got = [...(entry.categories ?? [])].sort()
    if (JSON.stringify(want) !== JSON.stringify(got))
      problems.push(
        `${where}: categories: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
      )
  }
  // The names as a reader lines them up: RSS names every author in one dc:creator, since
  // gofeed keeps only the first of several; Atom and JSON Feed list them one by one. An
  // article without authors is left out: readers show the feed's author for it (RFC 4287
  // section 4.2.1 has entries inherit it), or none.
  if (fields.includes('authors') && expected.authors.length > 0) {
    const want = expected.authors.join(', ')
    const got = (entry.authors ?? []).join(', ')
    if (want !== got) problems.push(`${where}: authors: expected ${quote(want)}, got ${quote(got)}`)
  }
  if (fields.includes('image') && expected.image && entry.image !== expected.image.url)
    problems.push(
      `${where}: image: expected ${quote(expected.image.url)}, got ${quote(entry.image)}`,
    )
  if (fields.includes('contentHtml')) {
    const html = entry.contentHtml ?? ''
    const wantText = visibleText(expected.contentHtml)
    const gotText = visibleText(html)
    if (wantText !== gotText)
      problems.push(`${where}: content text ${firstDifference(wantText, gotText)}`)
    const got = new Set(linkTargets(html))
    for (const target of linkTargets(expected.contentHtml)) {
      if (!got.has(target)) problems.push(`${where}: content: link ${quote(target)} is missing`)
    }
  }
  return problems
}

/**
 * Problems with the entries a tool parsed: the count must equal the feed's,
 * and each entry, in order, must carry the expected id and fields.
 */
export function compareEntries(
  expected: ExpectedFeed,
  entries: readonly ReaderEntry[],
  fields: readonly EntryField[],
): string[] {
  const problems: string[] = []
  if (entries.length !== expected.items.length)
    problems.push(`entries: expected ${expected.items.length}, got ${entries.length}`)
  const count = Math.min(entries.length, expected.items.length)
  for (let index = 0; index < count; index++) {
    const want = expected.items[index]!
    const entry = entries[index]!
    if (entry.id !== want.id) {
      problems.push(`entry ${index + 1}: id: expected ${quote(want.id)}, got ${quote(entry.id)}`)
      continue
    }
    problems.push(...compareItem(want, entry, fields))
  }
  return problems
}
