/**
 * The routes a built site offers, found the way a reader or a crawler finds
 * them: from the documents it serves (the home page's feed links, its
 * subscription list, the feeds' archive links and items, robots.txt), never
 * from paths this harness assumes. A route kind the site does not offer is
 * reported as absent, with the reason, instead of failing the run.
 *
 * Used by `npm run bench:build` (first requests per route kind, the heap after
 * every subscription document, the largest document) and `npm run bench`.
 */
import { throwIfAborted } from './time-bound.ts'

/** The route kinds the cold-path benchmark measures, in report order. */
export const ROUTE_KINDS = [
  'site feed, RSS',
  'site feed, Atom',
  'site feed, JSON',
  'topic feed',
  'filtered feed',
  'archive page',
  'home page',
  'topic page',
  'topic page, older',
  'article page, newest',
  'article page, archived',
  'sitemap',
  'not found (404)',
] as const

export type RouteKind = (typeof ROUTE_KINDS)[number]

/** One route of the site, as found in its documents. */
export interface SiteRoute {
  kind: RouteKind
  /** Path and query. */
  path: string
  /**
   * `static asset` when the asset layer answers it alone (Cloudflare serves a
   * matching asset before the worker runs, so the worker's cost is none).
   */
  servedBy: 'worker' | 'static asset'
  status: number
  bytes: number
}

/** A route kind this build does not offer, and how the harness knows. */
export interface AbsentRoute {
  kind: RouteKind
  reason: string
}

/** A document the harness fetched, for the largest-document figure. */
export interface DocumentSize {
  path: string
  bytes: number
  contentType: string
}

/** What discovery found. */
export interface SiteRoutes {
  routes: SiteRoute[]
  absent: AbsentRoute[]
  /** Every subscription document (site and each topic, every format), paths. */
  subscriptions: string[]
  /** Topic pages, from the subscription list (first pages). */
  topicPages: string[]
  /** Every document fetched while discovering, with its size. */
  documents: DocumentSize[]
  /** What discovery could not do (a missing subscription list, a format missing somewhere). */
  notes: string[]
}

/** Where discovery sends its requests. */
export interface SiteEndpoint {
  /** `http://127.0.0.1:PORT`, the worker. */
  url: string
  /** The asset layer alone, when the site has static assets. */
  assetsUrl?: string
}

const FEED_TYPES = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
} as const

type FeedFormat = keyof typeof FEED_TYPES

const OPML_TYPES = new Set(['text/x-opml', 'application/xml+opml', 'text/xml+opml'])

/** One fetched document. */
interface Fetched {
  status: number
  contentType: string
  text: string
  bytes: number
  location: string | null
}

/** Attributes of every `<tag …>` in an HTML or XML document, entities in values decoded. */
export function readTags(document: string, tag: string): Record<string, string>[] {
  const tags: Record<string, string>[] = []
  for (const match of document.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attributes: Record<string, string> = {}
    for (const attribute of (match[1] ?? '').matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      attributes[attribute[1]!.toLowerCase()] = decodeEntities(attribute[3] ?? attribute[4] ?? '')
    }
    tags.push(attributes)
  }
  return tags
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16)),
    )
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The feed links a page advertises (`<link rel="alternate" type=…>`), by format, first of each. */
export function readFeedLinks(page: string, base: string): Partial<Record<FeedFormat, string>> {
  const links: Partial<Record<FeedFormat, string>> = {}
  for (const link of readTags(page, 'link')) {
    if (!(link.rel ?? '').split(/\s+/).includes('alternate') || !link.href) continue
    for (const [format, type] of Object.entries(FEED_TYPES) as [FeedFormat, string][]) {
      if (link.type === type && links[format] === undefined) links[format] = pathOf(link.href, base)
    }
  }
  return links
}

/** Path and query of a URL on the site; undefined for another origin. */
function pathOf(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base)
    if (url.origin !== new URL(base).origin) return undefined
    return url.pathname + url.search
  } catch {
    return undefined
  }
}

/**
 * Finds the site's routes on a running server. `deadline` (ms since the
 * epoch) bounds the crawl of topic pages and archives; what it cut is noted.
 */
export async function discoverRoutes(
  site: SiteEndpoint,
  options: {
    deadline: number
    signal?: AbortSignal
    /** How far to follow the site's archive chain looking for the largest document; default 50. */
    archivePages?: number
    /** Crawl for the largest document at all; default true. */
    crawl?: boolean
  } = { deadline: Date.now() + 120_000 },
): Promise<SiteRoutes> {
  const documents = new Map<string, DocumentSize>()
  const found: SiteRoutes = {
    routes: [],
    absent: [],
    subscriptions: [],
    topicPages: [],
    documents: [],
    notes: [],
  }
  const base = `${site.url}/`
  const get = async (path: string, from = site.url): Promise<Fetched> => {
    throwIfAborted(options.signal)
    const response = await fetch(`${from}${path}`, {
      redirect: 'manual',
      signal: options.signal ?? AbortSignal.timeout(120_000),
    })
    const body = new Uint8Array(await response.arrayBuffer())
    const fetched = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: new TextDecoder().decode(body),
      bytes: body.byteLength,
      location: response.headers.get('location'),
    }
    if (fetched.status === 200 && from === site.url)
      documents.set(path, { path, bytes: fetched.bytes, contentType: fetched.contentType })
    return fetched
  }
  const add = (kind: RouteKind, path: string, fetched: Fetched, servedBy: SiteRoute['servedBy']) =>
    found.routes.push({ kind, path, servedBy, status: fetched.status, bytes: fetched.bytes })
  const absent = (kind: RouteKind, reason: string) => found.absent.push({ kind, reason })
  const late = () => options.crawl === false || Date.now() > options.deadline

  const home = await get('/')
  if (home.status !== 200) throw new Error(`[bench] the home page answered ${home.status}`)
  add('home page', '/', home, 'worker')

  // Site feeds: the home page's <link rel="alternate">.
  const siteFeeds = readFeedLinks(home.text, base)
  const feedKinds = {
    rss: 'site feed, RSS',
    atom: 'site feed, Atom',
    json: 'site feed, JSON',
  } as const
  const feedBodies: Partial<Record<FeedFormat, Fetched>> = {}
  for (const format of Object.keys(FEED_TYPES) as FeedFormat[]) {
    const path = siteFeeds[format]
    if (!path) {
      absent(feedKinds[format], `the home page links no ${FEED_TYPES[format]} feed`)
      continue
    }
    const fetched = await get(path)
    feedBodies[format] = fetched
    if (fetched.status === 200) add(feedKinds[format], path, fetched, 'worker')
    else absent(feedKinds[format], `${path} answered ${fetched.status}`)
  }

  // Topic feeds: the subscription list (OPML) lists the site feed and every topic's.
  const topicFeeds = await readSubscriptionList(home.text)
  async function readSubscriptionList(page: string): Promise<{ feed: string; page?: string }[]> {
    const opml = [...readTags(page, 'a'), ...readTags(page, 'link')].find(
      (tag) => tag.href && OPML_TYPES.has(tag.type ?? ''),
    )
    const path = opml?.href ? pathOf(opml.href, base) : undefined
    if (!path) {
      found.notes.push('the home page links no subscription list (OPML): topic feeds unknown')
      return []
    }
    const list = await get(path)
    if (list.status !== 200) {
      found.notes.push(`the subscription list ${path} answered ${list.status}`)
      return []
    }
    const feeds: { feed: string; page?: string }[] = []
    for (const outline of readTags(list.text, 'outline')) {
      const feed = outline.xmlurl ? pathOf(outline.xmlurl, base) : undefined
      if (!feed || Object.values(siteFeeds).includes(feed)) continue
      const page = outline.htmlurl ? pathOf(outline.htmlurl, base) : undefined
      feeds.push({ feed, ...(page ? { page } : {}) })
    }
    return feeds
  }
  found.topicPages = topicFeeds.flatMap((topic) => (topic.page ? [topic.page] : []))

  // Every format of every topic feed. The first topic page's own feed links teach how a topic's
  // formats are named relative to the one the list gives; each other topic follows that rule.
  const siblings = await learnFormatSiblings(topicFeeds[0])
  async function learnFormatSiblings(
    topic: { feed: string; page?: string } | undefined,
  ): Promise<((feed: string) => string[]) | undefined> {
    if (!topic?.page) return undefined
    const page = await get(topic.page)
    if (page.status !== 200) return undefined
    const links = Object.values(readFeedLinks(page.text, base))
    const folder = (path: string) => path.slice(0, path.lastIndexOf('/') + 1)
    if (!links.includes(topic.feed) || links.some((link) => folder(link) !== folder(topic.feed))) {
      found.notes.push(`${topic.page}: its feed links are not siblings of ${topic.feed}`)
      return () => []
    }
    const names = links.map((link) => link.slice(folder(link).length))
    return (feed) => names.map((name) => `${folder(feed)}${name}`)
  }
  found.subscriptions = [
    ...(Object.keys(FEED_TYPES) as FeedFormat[]).flatMap((format) =>
      siteFeeds[format] && feedBodies[format]?.status === 200 ? [siteFeeds[format]] : [],
    ),
  ]
  for (const topic of topicFeeds) {
    const formats = siblings?.(topic.feed) ?? []
    found.subscriptions.push(...new Set([topic.feed, ...formats]))
  }

  // A topic feed and a topic page: the first topic's.
  const topic = topicFeeds[0]
  if (topic) {
    const fetched = await get(topic.feed)
    if (fetched.status === 200) add('topic feed', topic.feed, fetched, 'worker')
    else absent('topic feed', `${topic.feed} answered ${fetched.status}`)
    if (topic.page) {
      const page = await get(topic.page)
      if (page.status === 200) add('topic page', topic.page, page, 'worker')
      else absent('topic page', `${topic.page} answered ${page.status}`)
    } else absent('topic page', 'the subscription list names no page for the topic feeds')
  } else {
    absent('topic feed', 'the subscription list has no topic feed')
    absent('topic page', 'the subscription list has no topic feed')
  }
  // An older page of a topic: the first of the first topic pages that link one (rel="next").
  let older: string | undefined
  for (const page of found.topicPages.slice(0, 10)) {
    const fetched = await get(page)
    older = fetched.status === 200 ? readNextLink(fetched.text, `${site.url}${page}`) : undefined
    if (older) break
  }
  if (older) {
    const fetched = await get(older)
    if (fetched.status === 200) add('topic page, older', older, fetched, 'worker')
    else absent('topic page, older', `${older} answered ${fetched.status}`)
  } else absent('topic page, older', 'no topic page links a next page (rel="next")')

  // A filtered feed: the site's JSON feed asked for two topics (`?topics=a,b`, the documented
  // filter), in the spelling the worker redirects to.
  const slugs = found.topicPages.map((page) => page.split('/').filter(Boolean).at(-1)).slice(0, 2)
  const siteJson = siteFeeds.json ?? siteFeeds.rss
  if (siteJson && slugs.length > 0) {
    let path = `${siteJson.split('?')[0]}?topics=${slugs.map((slug) => encodeURIComponent(slug ?? '')).join(',')}`
    let fetched = await get(path)
    for (let hops = 0; hops < 3 && [301, 302, 307, 308].includes(fetched.status); hops++) {
      const next = fetched.location ? pathOf(fetched.location, `${site.url}${path}`) : undefined
      if (!next) break
      path = next
      fetched = await get(path)
    }
    if (fetched.status === 200) add('filtered feed', path, fetched, 'worker')
    else absent('filtered feed', `${path} answered ${fetched.status}`)
  } else absent('filtered feed', 'no site feed or no topic to filter by')

  // The archive (RFC 5005 prev-archive, JSON Feed next_url), and the articles the feeds link.
  const json = feedBodies.json?.status === 200 ? parseJson(feedBodies.json.text) : undefined
  const atom = feedBodies.atom?.status === 200 ? feedBodies.atom.text : undefined
  const archiveHref =
    json?.next_url ??
    (atom ? readTags(atom, 'link').find((link) => link.rel === 'prev-archive')?.href : undefined)
  const archive = archiveHref ? pathOf(archiveHref, base) : undefined
  let archived: string | undefined
  if (archive) {
    const fetched = await get(archive)
    if (fetched.status === 200) {
      add('archive page', archive, fetched, 'worker')
      const items = parseJson(fetched.text)?.items ?? []
      archived = items.at(-1)?.url ? pathOf(items.at(-1)!.url!, base) : undefined
    } else absent('archive page', `${archive} answered ${fetched.status}`)
  } else {
    absent('archive page', 'the site feed links no archive (no next_url, no prev-archive)')
  }
  const newest = json?.items?.[0]?.url ? pathOf(json.items[0].url, base) : undefined
  for (const [kind, path] of [
    ['article page, newest', newest],
    ['article page, archived', archived],
  ] as const) {
    if (!path) {
      absent(kind, kind.endsWith('newest') ? 'the site feed has no item' : 'no archive page item')
      continue
    }
    const asset = site.assetsUrl ? await get(path, site.assetsUrl) : undefined
    const fetched = await get(path)
    if (asset?.status === 200) add(kind, path, asset, 'static asset')
    else if (fetched.status === 200) add(kind, path, fetched, 'worker')
    else absent(kind, `${path} answered ${fetched.status}`)
  }

  // The sitemap, from robots.txt (sitemaps.org: the Sitemap directive).
  const robots = await get('/robots.txt')
  const sitemap = robots.status === 200 ? /^sitemap:\s*(\S+)/im.exec(robots.text)?.[1] : undefined
  const sitemapPath = sitemap ? pathOf(sitemap, base) : undefined
  if (sitemapPath) {
    const fetched = await get(sitemapPath)
    if (fetched.status === 200) add('sitemap', sitemapPath, fetched, 'worker')
    else absent('sitemap', `${sitemapPath} answered ${fetched.status}`)
  } else absent('sitemap', 'robots.txt names no sitemap')

  const missing = `/no-such-page-${Math.random().toString(36).slice(2, 10)}/`
  const notFound = await get(missing)
  if (notFound.status === 404) add('not found (404)', missing, notFound, 'worker')
  else absent('not found (404)', `${missing} answered ${notFound.status}`)

  // The rest of the crawl only looks for the largest document, within the deadline: every topic
  // page, every subscription document and its newest archive page, the site's archive chain,
  // and the sitemap's children.
  const visit = async (path: string | undefined): Promise<Fetched | undefined> => {
    if (!path || documents.has(path) || late()) return undefined
    return get(path)
  }
  for (const page of found.topicPages) {
    // Each topic's front page and the next two (rel="next").
    let next: string | undefined = page
    for (let depth = 0; next && depth < 3 && !late(); depth++) {
      const fetched: Fetched | undefined = documents.has(next) ? await get(next) : await visit(next)
      next = fetched?.status === 200 ? readNextLink(fetched.text, `${site.url}${next}`) : undefined
    }
  }
  for (const feed of found.subscriptions) {
    const fetched = await visit(feed)
    const next = fetched?.status === 200 ? parseJson(fetched.text)?.next_url : undefined
    if (next) await visit(pathOf(next, base))
  }
  let next = archive
  for (let page = 0; next && page < (options.archivePages ?? 50) && !late(); page++) {
    const fetched = await get(next)
    const older = fetched.status === 200 ? parseJson(fetched.text)?.next_url : undefined
    next = older ? pathOf(older, base) : undefined
  }
  if (sitemapPath) {
    const index = await get(sitemapPath)
    for (const loc of index.text.matchAll(/<sitemap>\s*<loc>([^<]+)<\/loc>/g)) {
      if (late()) break
      await visit(pathOf(decodeEntities(loc[1]!), base))
    }
  }
  if (late() && options.crawl !== false)
    found.notes.push('the crawl for the largest document stopped at its time bound')
  found.documents = [...documents.values()]
  return found
}

/** The page a `rel="next"` link (in `<link>` or `<a>`) leads to, as a path on the site. */
function readNextLink(page: string, base: string): string | undefined {
  const next = [...readTags(page, 'link'), ...readTags(page, 'a')].find((tag) =>
    (tag.rel ?? '').split(/\s+/).includes('next'),
  )
  return next?.href ? pathOf(next.href, base) : undefined
}

interface JsonFeed {
  next_url?: string
  items?: { url?: string }[]
}

function parseJson(text: string): JsonFeed | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' ? (value as JsonFeed) : undefined
  } catch {
    return undefined
  }
}
