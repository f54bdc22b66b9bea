import { parseDocument } from 'htmlparser2'
import type { CheckResult, FeedFormat, FetchedFeed } from './report.ts'

/**
 * Finds the feeds the way a reader does: from the `<link rel="alternate">`
 * autodiscovery tags of the home page and of every topic page, the topic
 * pages being the ones /topics/ links to.
 */

const TOOL = 'autodiscovery'

const FORMATS: Record<string, FeedFormat> = {
  'application/rss+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/feed+json': 'json',
}

const MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}

interface Element {
  type: string
  name?: string
  attribs?: Record<string, string>
  children?: Element[]
}

function elements(html: string, name: string): Record<string, string>[] {
  const found: Record<string, string>[] = []
  const visit = (node: Element) => {
    if (node.type === 'tag' && node.name === name) found.push(node.attribs ?? {})
    for (const child of node.children ?? []) visit(child)
  }
  visit(parseDocument(html) as unknown as Element)
  return found
}

/** The feeds a page advertises, as absolute URLs resolved against the page. */
export function alternateFeeds(
  html: string,
  pageUrl: string,
): { url: string; format: FeedFormat }[] {
  return elements(html, 'link')
    .filter((link) => (link.rel ?? '').toLowerCase().split(/\s+/).includes('alternate'))
    .filter((link) => link.type !== undefined && FORMATS[link.type.toLowerCase()] && link.href)
    .map((link) => ({
      url: new URL(link.href!, pageUrl).href,
      format: FORMATS[link.type!.toLowerCase()]!,
    }))
}

async function fetchPage(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) })
  return { status: response.status, body: await response.text() }
}

export interface Discovery {
  feeds: { url: string; format: FeedFormat }[]
  /** One autodiscovery result per page read. */
  results: CheckResult[]
}

/** Reads the home page, /topics/ and every topic page, and collects the feeds they advertise. */
export async function discoverFeeds(origin: string): Promise<Discovery> {
  const feeds = new Map<string, FeedFormat>()
  const results: CheckResult[] = []
  async function readPage(url: string): Promise<string | undefined> {
    const page = await fetchPage(url)
    const problems: string[] = []
    if (page.status !== 200) problems.push(`page answers ${page.status}`)
    const found = alternateFeeds(page.body, url)
    for (const format of ['rss', 'atom', 'json'] as const)
      if (!found.some((feed) => feed.format === format))
        problems.push(`no <link rel="alternate" type="${MEDIA_TYPES[format]}">`)
    for (const feed of found) feeds.set(feed.url, feed.format)
    results.push({ feed: url, tool: TOOL, problems })
    return page.status === 200 ? page.body : undefined
  }
  await readPage(`${origin}/`)
  const topicsUrl = `${origin}/topics/`
  const index = await fetchPage(topicsUrl)
  const topicPages = new Set(
    elements(index.body, 'a')
      .map((anchor) => (anchor.href ? new URL(anchor.href, topicsUrl).href : ''))
      .filter(
        (href) => href.startsWith(topicsUrl) && /^[^/]+\/$/.test(href.slice(topicsUrl.length)),
      ),
  )
  results.push({
    feed: topicsUrl,
    tool: TOOL,
    problems: [
      ...(index.status === 200 ? [] : [`page answers ${index.status}`]),
      ...(topicPages.size === 0 ? ['links to no topic page'] : []),
    ],
  })
  // A few at a time: the worker renders each page once, and the machine is shared.
  const queue = [...topicPages]
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let url = queue.shift(); url; url = queue.shift()) await readPage(url)
    }),
  )
  return { feeds: [...feeds].map(([url, format]) => ({ url, format })), results }
}

/** Fetches each feed as a reader does, a few at a time. */
export async function fetchFeeds(
  list: readonly { url: string; format: FeedFormat }[],
): Promise<FetchedFeed[]> {
  const fetched: FetchedFeed[] = []
  const queue = [...list]
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const response = await fetch(next.url, { signal: AbortSignal.timeout(60_000) })
        const bytes = new Uint8Array(await response.arrayBuffer())
        fetched.push({
          ...next,
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          bytes,
          body: new TextDecoder().decode(bytes),
        })
      }
    }),
  )
  return fetched.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))
}
