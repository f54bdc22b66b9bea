import { XMLParser } from 'fast-xml-parser'
import type { CheckResult, ExpectedFeed, FetchedFeed } from '../report.ts'
import { type Checker, expectedFor } from './context.ts'
import {
  duplicateIds,
  isAbsoluteUrl,
  relativeUrlsIn,
  rfc822Problem,
  rfc3339Problem,
} from './spec-rules.ts'

/**
 * Rules of RSS 2.0 (https://www.rssboard.org/rss-specification) and Atom 1.0
 * (RFC 4287) that parsers forgive but readers trip on: exactly one self link,
 * equal to the URL fetched; RFC 822 dates in RSS and RFC 3339 in Atom; an
 * author for every Atom entry; id, title and updated on every Atom entry; a
 * guid on every RSS item; absolute URLs in links and inside content.
 */

const RSS_TOOL = 'rss-2.0-rules'
const ATOM_TOOL = 'atom-1.0-rules'

type Node = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) =>
    ['item', 'entry', 'link', 'atom:link', 'category', 'author', 'guid', 'channel'].includes(name),
})

function list(value: unknown): Node[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((entry) =>
    typeof entry === 'object' && entry !== null ? (entry as Node) : { '#text': String(entry) },
  )
}

/** The text of an element, whatever shape the parser gave it. */
function textOf(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value)) return textOf(value[0])
  if (typeof value === 'object' && value !== null) {
    const text = (value as Node)['#text']
    return text === undefined ? '' : String(text)
  }
  return String(value)
}

function selfLinkProblems(links: Node[], url: string): string[] {
  const self = links.filter((link) => link['@_rel'] === 'self')
  if (self.length !== 1) return [`self link: expected exactly one, found ${self.length}`]
  const href = self[0]!['@_href']
  return href === url ? [] : [`self link: ${JSON.stringify(href)} is not the URL fetched`]
}

function countProblem(
  expected: ExpectedFeed | { missing: string },
  found: number,
  name: string,
): string[] {
  if ('missing' in expected) return [expected.missing]
  return found === expected.items.length
    ? []
    : [`${name}s: expected ${expected.items.length}, the document holds ${found}`]
}

function hrefProblems(value: unknown, where: string): string[] {
  return typeof value === 'string' && !isAbsoluteUrl(value)
    ? [`${where}: ${JSON.stringify(value)} is not an absolute URL`]
    : []
}

function checkRss(
  root: Node,
  feed: FetchedFeed,
  expected: ExpectedFeed | { missing: string },
): string[] {
  const rss = list(root.rss)[0]
  if (!rss) return ['root: not an <rss> document']
  const problems: string[] = []
  if (rss['@_version'] !== '2.0')
    problems.push(`rss version: ${JSON.stringify(rss['@_version'])} is not "2.0"`)
  const channels = list(rss.channel)
  if (channels.length !== 1) return [...problems, `channel: expected one, found ${channels.length}`]
  const channel = channels[0]!
  for (const field of ['title', 'link', 'description'])
    if (!textOf(channel[field])?.trim()) problems.push(`channel ${field}: missing`)
  problems.push(...selfLinkProblems(list(channel['atom:link']), feed.url))
  for (const field of ['pubDate', 'lastBuildDate']) {
    if (field in channel) {
      const problem = rfc822Problem(textOf(channel[field]), `channel ${field}`)
      if (problem) problems.push(problem)
    }
  }
  const items = list(channel.item)
  problems.push(...countProblem(expected, items.length, 'item'))
  const guids: string[] = []
  for (const [index, item] of items.entries()) {
    const where = `item ${index + 1}`
    const guid = textOf(item.guid)?.trim()
    if (!guid) problems.push(`${where}: guid: missing`)
    else guids.push(guid)
    if (!textOf(item.title)?.trim() && !textOf(item.description)?.trim())
      problems.push(`${where}: needs a title or a description`)
    const problem = rfc822Problem(textOf(item.pubDate), `${where} pubDate`)
    if (problem) problems.push(problem)
    problems.push(...hrefProblems(textOf(item.link), `${where} link`))
    for (const link of list(item['atom:link']))
      problems.push(...hrefProblems(link['@_href'], `${where} atom:link`))
    for (const category of list(item.category))
      problems.push(...hrefProblems(category['@_domain'], `${where} category domain`))
    for (const enclosure of list(item.enclosure))
      problems.push(...hrefProblems(enclosure['@_url'], `${where} enclosure`))
    for (const field of ['description', 'content:encoded'])
      problems.push(...relativeUrlsIn(textOf(item[field]) ?? '', `${where} ${field}`))
  }
  for (const id of duplicateIds(guids))
    problems.push(`guid ${JSON.stringify(id)} is used by more than one item`)
  return problems
}

function checkAtom(
  root: Node,
  feed: FetchedFeed,
  expected: ExpectedFeed | { missing: string },
): string[] {
  const atom = list(root.feed)[0]
  if (atom?.['@_xmlns'] !== 'http://www.w3.org/2005/Atom')
    return ['root: not an Atom <feed> document']
  const problems: string[] = []
  // RFC 4287 section 4.1.1: atom:feed has exactly one id, title and updated.
  for (const field of ['id', 'title'])
    if (!textOf(atom[field])?.trim()) problems.push(`feed ${field}: missing`)
  const updated = rfc3339Problem(textOf(atom.updated), 'feed updated')
  if (updated) problems.push(updated)
  const links = list(atom.link)
  problems.push(...selfLinkProblems(links, feed.url))
  for (const link of links)
    problems.push(...hrefProblems(link['@_href'], `feed link rel=${link['@_rel'] ?? 'alternate'}`))
  const feedHasAuthor = list(atom.author).some((author) => textOf(author.name)?.trim())
  const entries = list(atom.entry)
  problems.push(...countProblem(expected, entries.length, 'entry'))
  const ids: string[] = []
  for (const [index, entry] of entries.entries()) {
    const where = `entry ${index + 1}`
    const id = textOf(entry.id)?.trim()
    if (!id) problems.push(`${where}: id: missing`)
    else ids.push(id)
    if (textOf(entry.title) === undefined) problems.push(`${where}: title: missing`)
    const entryUpdated = rfc3339Problem(textOf(entry.updated), `${where} updated`)
    if (entryUpdated) problems.push(entryUpdated)
    if ('published' in entry) {
      const published = rfc3339Problem(textOf(entry.published), `${where} published`)
      if (published) problems.push(published)
    }
    // Section 4.1.1: every entry has an author, its own or the feed's.
    if (!feedHasAuthor && !list(entry.author).some((author) => textOf(author.name)?.trim()))
      problems.push(`${where}: author: none at entry or feed level`)
    const entryLinks = list(entry.link)
    if (!entryLinks.some((link) => (link['@_rel'] ?? 'alternate') === 'alternate'))
      problems.push(`${where}: link: no alternate link`)
    for (const link of entryLinks)
      problems.push(
        ...hrefProblems(link['@_href'], `${where} link rel=${link['@_rel'] ?? 'alternate'}`),
      )
    for (const field of ['content', 'summary']) {
      const node = list(entry[field])[0]
      if (node && (node['@_type'] === 'html' || node['@_type'] === 'xhtml'))
        problems.push(...relativeUrlsIn(textOf(node) ?? '', `${where} ${field}`))
    }
  }
  for (const id of duplicateIds(ids))
    problems.push(`id ${JSON.stringify(id)} is used by more than one entry`)
  return problems
}

export const checkXmlRules: Checker = async (feeds, context) =>
  feeds
    .filter((feed) => feed.format !== 'json')
    .map((feed): CheckResult => {
      const tool = feed.format === 'rss' ? RSS_TOOL : ATOM_TOOL
      let root: Node
      try {
        root = parser.parse(feed.body, true) as Node
      } catch (error) {
        return {
          feed: feed.url,
          tool,
          problems: [`not well-formed XML: ${(error as Error).message}`],
        }
      }
      const expected = expectedFor(feed, context)
      const problems =
        feed.format === 'rss' ? checkRss(root, feed, expected) : checkAtom(root, feed, expected)
      return { feed: feed.url, tool, problems }
    })
