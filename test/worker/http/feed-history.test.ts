import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, markdownArticle } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

/**
 * RFC 5005 archives, judged as an archive-aware reader does: start at a
 * subscription document, follow `prev-archive` (or JSON Feed's `next_url`)
 * until there is none, and collect the items on the way.
 */

const TOPICS = ['Economy', 'Shipping', 'Weather', 'Politics', 'Science & <Culture>']
const START = Date.parse('2023-01-01T00:00:00Z')
const SPAN = Date.parse('2025-01-01T00:00:00Z') - START
const COUNT = 520

/** 520 articles over 24 months, in one or two topics each, some long, with hostile text. */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < COUNT; i++) {
    const date = new Date(START + Math.floor((SPAN * i) / COUNT)).toISOString()
    const topics = [...new Set([TOPICS[i % 5]!, TOPICS[(i * 3 + 1) % 5]!])]
    const paragraph = `Report ${i}: prices & <tariffs> ]]> rise; “quotes”, emoji 🚢, עברית. `
    const body = paragraph.repeat(i % 10 === 0 ? 120 : 8)
    files[`news/${String(i).padStart(3, '0')}.md`] = markdownArticle(
      { title: `Story ${i} & <more>`, date, topics },
      body,
    )
  }
  files['future.md'] = markdownArticle({
    title: 'Not yet',
    date: '2031-01-01',
    topics: ['Economy'],
  })
  return files
}

const content = compileFixture(corpus())
const NOW = Date.parse('2025-02-01T00:00:00Z')
const published = content.articles.filter((article) => Date.parse(article.published) <= NOW)
const xml = new XMLParser({ ignoreAttributes: false })

interface Document {
  ids: string[]
  older?: string
  newer?: string
  current?: string
  complete: boolean
  archive: boolean
  bytes: number
}

function historyMarkers(
  text: string,
  root: 'rss' | 'feed',
): { complete: boolean; archive: boolean } {
  const parsed = xml.parse(text) as Record<string, Record<string, unknown>>
  const parent = (root === 'rss' ? parsed.rss?.channel : parsed.feed) as Record<string, unknown>
  return { complete: 'fh:complete' in parent, archive: 'fh:archive' in parent }
}

function relOf(links: { rel?: string; href?: string }[] | undefined, rel: string) {
  return links?.find((link) => link.rel === rel)?.href
}

function readDocument(format: string, text: string): Document {
  const bytes = new TextEncoder().encode(text).byteLength
  if (format === 'rss') {
    const feed = readRss(text)
    const links = feed.atom?.links
    return {
      ids: feed.items?.map((item) => item.guid?.value ?? '') ?? [],
      older: relOf(links, 'prev-archive'),
      newer: relOf(links, 'next-archive'),
      current: relOf(links, 'current'),
      ...historyMarkers(text, 'rss'),
      bytes,
    }
  }
  if (format === 'atom') {
    const feed = readAtom(text)
    return {
      ids: feed.entries?.map((entry) => entry.id ?? '') ?? [],
      older: relOf(feed.links, 'prev-archive'),
      newer: relOf(feed.links, 'next-archive'),
      current: relOf(feed.links, 'current'),
      ...historyMarkers(text, 'feed'),
      bytes,
    }
  }
  const { raw, feed } = readJsonFeed(text)
  return {
    ids: feed.items?.map((item) => item.id ?? '') ?? [],
    older: raw.next_url as string | undefined,
    complete: !raw.next_url,
    archive: false,
    bytes,
  }
}

type App = ReturnType<typeof testApp>

/** Follows a feed's history from its subscription document; returns every document on the way. */
async function walk(app: App, url: string, format: string) {
  const documents: (Document & { url: string; response: Response })[] = []
  let next: string | undefined = url
  while (next) {
    expect(next.startsWith('https://news.example.com/'), next).toBe(true)
    const path = next.slice('https://news.example.com'.length)
    const response = await app.fetch(path)
    expect(response.status, path).toBe(200)
    const document = readDocument(format, await response.clone().text())
    documents.push({ ...document, url: next, response })
    expect(documents.length, 'history loops').toBeLessThan(400)
    next = document.older
  }
  return documents
}

const inTopic = (slug: string) => (article: (typeof published)[number]) =>
  article.topics.some((topic) => topic.slug === slug)
const FEEDS = [
  { path: '', query: '', articles: published },
  ...['economy', 'shipping', 'weather', 'politics', 'science-culture'].map((slug) => ({
    path: `topics/${slug}/`,
    query: '',
    articles: published.filter(inTopic(slug)),
  })),
]
const FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }

describe('feed history (RFC 5005)', () => {
  for (const env of [
    { name: 'the item count', env: SITE_ENV, budget: 262_144 },
    {
      name: 'a tight byte budget',
      env: { ...SITE_ENV, FEED_BYTE_BUDGET: '40000' },
      budget: 40_000,
    },
  ]) {
    it(`reaches every published article exactly once from every feed, within ${env.name}`, async () => {
      const app = testApp(content, { now: NOW }, env.env)
      for (const feed of FEEDS) {
        const expected = feed.articles.map((article) => article.id).sort()
        for (const [format, file] of Object.entries(FILES)) {
          const start = `https://news.example.com/${feed.path}${file}${feed.query}`
          const documents = await walk(app, start, format)
          const ids = documents.flatMap((document) => document.ids)
          expect(ids.length, `${start}: items`).toBe(expected.length)
          expect([...ids].sort(), start).toEqual(expected)
          const [subscription, ...archives] = documents
          for (const document of documents) {
            expect(document.bytes, document.url).toBeLessThanOrEqual(env.budget)
          }
          expect(subscription!.ids.length).toBeLessThanOrEqual(20)
          expect(subscription!.ids.length).toBeGreaterThan(0)
          // The tight budget, not the item count, is what limits the site feed.
          if (env.budget < 100_000 && feed.path === '' && !feed.query) {
            expect(subscription!.ids.length, start).toBeLessThan(20)
          }
          if (format === 'json') continue
          expect(subscription!.complete).toBe(false)
          expect(subscription!.archive).toBe(false)
          archives.forEach((archive, index) => {
            expect(archive.archive, archive.url).toBe(true)
            expect(archive.complete).toBe(false)
            expect(archive.current).toBe(start)
            // next-archive leads back the way we came, to the newer archive.
            expect(archive.newer).toBe(index === 0 ? undefined : documents[index]!.url)
            // Pages count from the oldest: walking back from the newest goes down to 1.
            expect(archive.url).toMatch(
              new RegExp(`/archive/${archives.length - index}/${file.replace('.', '\\.')}$`),
            )
          })
        }
      }
    }, 60_000)
  }

  it('marks a feed that holds everything as complete, with no archives', async () => {
    const small = compileFixture({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01', topics: ['Economy'] }),
      'b.md': markdownArticle({ title: 'B', date: '2024-02-01', topics: ['Economy'] }),
    })
    const app = testApp(small, { now: NOW })
    for (const [format, file] of Object.entries(FILES)) {
      const document = readDocument(format, await app.text(`/${file}`))
      expect(document.complete).toBe(true)
      expect(document.older).toBeUndefined()
      expect(document.ids).toHaveLength(2)
    }
    expect((await app.fetch('/archive/1/rss.xml')).status).toBe(404)
  })

  it('gives closed archives a long lifetime and the subscription and newest archive a short one', async () => {
    const app = testApp(content, { now: NOW })
    const documents = await walk(app, 'https://news.example.com/rss.xml', 'rss')
    const [subscription, newest, closed] = documents
    expect(subscription!.response.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
    )
    expect(readRss(await subscription!.response.text()).ttl).toBe(5)
    expect(newest!.response.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
    )
    expect(closed!.response.headers.get('cache-control')).toBe(
      'public, max-age=2592000, stale-while-revalidate=86400, stale-if-error=86400',
    )
    expect(readRss(await closed!.response.text()).ttl).toBe(43_200)
    expect(closed!.response.headers.get('cache-tag')?.split(',')).toEqual([
      'archive',
      'archive:site',
      `archive:site:${closed!.url.match(/archive\/(\d+)\//)![1]}`,
      'format:rss',
    ])
    expect(newest!.response.headers.get('cache-tag')).toContain('archive:site:newest')
    expect(subscription!.response.headers.get('cache-tag')).toBe('feed,feed:site,format:rss')
    // The subscription document also has a readable HTML page for browsers; archives do not.
    expect(subscription!.response.headers.get('vary')).toBe(
      'Accept, Sec-Fetch-Dest, Sec-Fetch-Mode',
    )
    expect(closed!.response.headers.get('vary')).toBeNull()
  }, 60_000)

  it('keeps closed archives byte-identical when a new article is published', async () => {
    const clock = { now: NOW }
    const withFuture = compileFixture({
      ...corpus(),
      'soon.md': markdownArticle({ title: 'Soon', date: '2025-03-01', topics: ['Economy'] }),
    })
    const app = testApp(withFuture, clock)
    const before = await walk(app, 'https://news.example.com/atom.xml', 'atom')
    clock.now = Date.parse('2025-03-02T00:00:00Z')
    const after = await walk(app, 'https://news.example.com/atom.xml', 'atom')
    expect(after[0]!.ids[0]).toBe(withFuture.articles.find((a) => a.title === 'Soon')!.id)
    const closedBefore = before.slice(2)
    for (const archive of closedBefore) {
      const again = after.find((document) => document.url === archive.url)!
      expect(again.response.headers.get('etag'), archive.url).toBe(
        archive.response.headers.get('etag'),
      )
    }
  }, 30_000)

  it('answers 404 for pages with no archive and malformed page numbers', async () => {
    const app = testApp(content, { now: NOW })
    for (const path of [
      '/archive/9999/rss.xml',
      '/archive/0/rss.xml',
      '/archive/01/rss.xml',
      '/archive/2024-01/rss.xml',
      '/archive/x/rss.xml',
      '/topics/nope/archive/1/rss.xml',
      '/archive/1/rss.xml?topics=economy,weather',
    ]) {
      expect((await app.fetch(path)).status, path).toBe(404)
    }
  }, 60_000)
})
