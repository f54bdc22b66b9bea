import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../../../scripts/generate-corpus.ts'
import type { CompiledArticle } from '../../../src/contract/compiled.ts'
import { appOver, prerenderFixture } from '../../support/app.ts'
import { compileFixture } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

/**
 * A newsroom's archive, prerendered and served as deployed: 2,000 articles
 * over 12 topics, a few dated in the future. Judged as readers see it, with
 * independent parsers: archive-aware readers follow `prev-archive` (JSON
 * Feed: `next_url`) from every subscription feed; scheduled articles appear
 * at their time; filtered feeds agree with the topic feeds.
 */

const ORIGIN = 'https://news.example.com'
const BUDGET = 262_144
const NOW = Date.now()
const FUTURE = 4
const content = compileFixture(
  Object.fromEntries(generateCorpus({ articles: 2000, topics: 12, seed: 7, future: FUTURE })),
)
const published = content.articles.filter((article) => Date.parse(article.published) <= NOW)
const scheduled = content.articles.filter((article) => Date.parse(article.published) > NOW)
const topics = [...new Set(content.articles.flatMap((a) => a.topics.map((t) => t.slug)))].sort()
const FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const
type Format = keyof typeof FILES
const ENV = { SITE_URL: ORIGIN }
// One prerender for every test: each has an app of its own over it, as a fresh isolate.
const fixture = prerenderFixture(content, NOW, ENV)
type App = ReturnType<typeof appOver>

function readDocument(format: Format, text: string): { ids: string[]; older?: string } {
  if (format === 'rss') {
    const feed = readRss(text)
    const older = feed.atom?.links?.find((link) => link.rel === 'prev-archive')?.href
    return {
      ids: feed.items?.map((item) => item.guid?.value ?? '') ?? [],
      ...(older ? { older } : {}),
    }
  }
  if (format === 'atom') {
    const feed = readAtom(text)
    const older = feed.links?.find((link) => link.rel === 'prev-archive')?.href
    return { ids: feed.entries?.map((entry) => entry.id ?? '') ?? [], ...(older ? { older } : {}) }
  }
  const { raw, feed } = readJsonFeed(text)
  const older = raw.next_url as string | undefined
  return { ids: feed.items?.map((item) => item.id ?? '') ?? [], ...(older ? { older } : {}) }
}

async function get(app: App, url: string): Promise<Response> {
  expect(url.startsWith(`${ORIGIN}/`), url).toBe(true)
  const response = await app.fetch(url.slice(ORIGIN.length))
  expect(response.status, url).toBe(200)
  return response
}

/** Every item reached from a subscription document by following the archives, document by document. */
async function walk(app: App, url: string, format: Format): Promise<string[][]> {
  const pages: string[][] = []
  let next: string | undefined = url
  while (next) {
    const bytes = new Uint8Array(await (await get(app, next)).arrayBuffer())
    expect(bytes.byteLength, next).toBeLessThanOrEqual(BUDGET)
    const document = readDocument(format, new TextDecoder().decode(bytes))
    pages.push(document.ids)
    expect(pages.length, 'history loops').toBeLessThan(500)
    next = document.older
  }
  return pages
}

const inTopic = (slug: string) => (article: CompiledArticle) =>
  article.topics.some((topic) => topic.slug === slug)

describe('a whole archive at the edge', () => {
  const app = appOver(fixture, { now: NOW }, ENV)

  it('reaches every published article exactly once from every subscription feed, in every format, within the budget', async () => {
    expect(published.length).toBe(2000 - FUTURE)
    for (const scope of ['', ...topics.map((slug) => `topics/${slug}/`)]) {
      const slug = scope.split('/')[1]
      const expected = published.filter(slug ? inTopic(slug) : () => true).map((a) => a.id)
      for (const [format, file] of Object.entries(FILES) as [Format, string][]) {
        const pages = await walk(app, `${ORIGIN}/${scope}${file}`, format)
        const ids = pages.flat()
        expect(ids.length, `${scope}${file}`).toBe(expected.length)
        expect(new Set(ids), `${scope}${file}`).toEqual(new Set(expected))
        // Newest first across the whole walk: pages are slices of one ordered history.
        expect(ids, `${scope}${file}`).toEqual(expected)
      }
    }
  }, 300_000)

  it('publishes a scheduled article at its due time in exactly its feeds, with new ETags there only', async () => {
    const clock = { now: NOW }
    const live = appOver(fixture, clock, ENV)
    const article = [...scheduled].sort((a, b) => a.published.localeCompare(b.published))[0]!
    const due = Date.parse(article.published)
    const feeds = ['', ...topics.map((slug) => `topics/${slug}/`)].flatMap((scope) =>
      Object.entries(FILES).map(([format, file]) => ({
        scope,
        format: format as Format,
        path: `/${scope}${file}`,
      })),
    )
    const before = new Map<string, string>()
    for (const feed of feeds) {
      const response = await live.fetch(feed.path)
      before.set(feed.path, response.headers.get('etag') ?? '')
      expect(readDocument(feed.format, await response.text()).ids).not.toContain(article.id)
    }
    expect((await live.fetch(`/articles/${article.slug}/`)).status).toBe(404)
    clock.now = due - 1
    expect((await live.fetch(`/articles/${article.slug}/`)).status).toBe(404)
    clock.now = due
    const inScope = (scope: string) =>
      scope === '' || article.topics.some((topic) => scope === `topics/${topic.slug}/`)
    for (const feed of feeds) {
      const response = await live.fetch(feed.path)
      const ids = readDocument(feed.format, await response.text()).ids
      const etag = response.headers.get('etag')
      if (inScope(feed.scope)) {
        expect(ids[0], feed.path).toBe(article.id)
        expect(etag, feed.path).not.toBe(before.get(feed.path))
      } else {
        expect(ids, feed.path).not.toContain(article.id)
        expect(etag, feed.path).toBe(before.get(feed.path))
      }
    }
    expect((await live.fetch(`/articles/${article.slug}/`)).status).toBe(200)
  }, 120_000)

  it('gives a filter of any topics the same articles as the topic feeds, newest first', async () => {
    const subscription = async (path: string, format: Format) =>
      readDocument(format, await (await get(app, `${ORIGIN}${path}`)).text()).ids
    const order = new Map(published.map((article, index) => [article.id, index]))
    const byId = new Map(published.map((article) => [article.id, article]))
    for (const chosen of [
      topics.slice(0, 2),
      topics.slice(3, 6),
      [topics[1]!, topics[7]!, topics[11]!],
    ]) {
      for (const [format, file] of Object.entries(FILES) as [Format, string][]) {
        const filtered = await subscription(`/${file}?topics=${chosen.join(',')}`, format)
        const fromTopics = [
          ...new Set(
            (
              await Promise.all(
                chosen.map((slug) => subscription(`/topics/${slug}/${file}`, format)),
              )
            ).flat(),
          ),
        ].sort((a, b) => order.get(a)! - order.get(b)!)
        expect(filtered.length, `${chosen} ${format}`).toBeGreaterThan(0)
        expect(filtered, `${chosen} ${format}`).toEqual(fromTopics.slice(0, filtered.length))
      }
      // Leaving topics out: the site feed's articles that are in none of them.
      const excluded = await subscription(`/feed.json?exclude=${chosen.join(',')}`, 'json')
      const site = await subscription('/feed.json', 'json')
      const expected = site.filter((id) => !chosen.some((slug) => inTopic(slug)(byId.get(id)!)))
      expect(excluded).toEqual(expected.slice(0, excluded.length))
      expect(excluded.length).toBeGreaterThan(0)
    }
  }, 120_000)
})
