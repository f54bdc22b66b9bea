import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { htmlText, readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const content = compileFixture(NEWSROOM)
const app = testApp(content, { now: NOW })
const harbour = content.articles.find((article) => article.title === 'Harbour reopens')!
const budget = content.articles.find((article) => article.title === 'Budget passes')!
const ORIGIN = 'https://news.example.com'

describe('the site feed, as readers parse it', () => {
  it('RSS 2.0 carries every published item, newest first, with what the seeds say', async () => {
    const feed = readRss(await app.text('/rss.xml'))
    expect(feed.title).toBe('Example Times')
    expect(feed.link).toBe(`${ORIGIN}/`)
    expect(feed.language).toBe('en-GB')
    expect(feed.atom?.links).toEqual([
      { href: `${ORIGIN}/rss.xml`, rel: 'self', type: 'application/rss+xml' },
    ])
    expect(new Date(feed.lastBuildDate!).toISOString()).toBe('2024-03-02T10:30:00.000Z')
    expect(feed.items?.map((item) => item.title)).toEqual([
      'Harbour reopens',
      'Budget passes',
      'An older story',
    ])

    const item = feed.items![0]!
    expect(item.guid).toEqual({ value: harbour.id, isPermaLink: false })
    expect(item.link).toBe(`${ORIGIN}/articles/harbour-reopens/`)
    expect(new Date(item.pubDate!).toISOString()).toBe('2024-03-01T08:00:00.000Z')
    expect(item.categories).toEqual([
      { name: 'Shipping', domain: `${ORIGIN}/topics/shipping/` },
      { name: 'Economy', domain: `${ORIGIN}/topics/economy/` },
    ])
    expect(item.dc?.creators).toEqual(['Ana Lima'])
    expect(item.description).toBe('The harbour is open again.')
    expect(item.enclosures).toEqual([
      { url: `${ORIGIN}/images/harbour.jpg`, length: 0, type: 'image/jpeg' },
    ])
    expect(item.atom?.links).toEqual([
      { rel: 'related', href: 'https://news.example.org/harbour?id=1&lang=en' },
    ])
    const html = item.content?.encoded ?? ''
    expect(html).toContain(`<a href="${ORIGIN}/articles/older/">back</a>`)
    expect(html).toContain('<a href="https://port.example/">the port</a>')
    expect(html).toContain(`<img src="${ORIGIN}/images/harbour.jpg" alt="Cranes at dawn">`)
    expect(html).toContain('Cranes at dawn <strong>Port Authority</strong>')
    expect(html).toContain(
      'Original article: <a href="https://news.example.org/harbour?id=1&amp;lang=en">Example News</a>',
    )
    // One dc:creator naming both: gofeed keeps only the first of several.
    expect(feed.items![1]!.dc?.creators).toEqual(['Bo Chen, Cy Diaz'])
  })

  it('Atom 1.0 carries ids, links, both dates, categories named in term and label, and authors', async () => {
    const feed = readAtom(await app.text('/atom.xml'))
    expect(feed.title).toEqual({ value: 'Example Times' })
    expect(feed.id).toBe(`${ORIGIN}/`)
    expect(feed.updated).toBe('2024-03-02T10:30:00.000Z')
    expect(feed.links).toEqual([
      { rel: 'alternate', href: `${ORIGIN}/` },
      { rel: 'self', href: `${ORIGIN}/atom.xml` },
    ])
    expect(feed.authors).toEqual([{ name: 'Example Times Desk', uri: `${ORIGIN}/` }])

    const entry = feed.entries![0]!
    expect(htmlText(entry.title!.value!)).toBe('Harbour reopens')
    expect(entry.id).toBe(harbour.id)
    expect(entry.published).toBe('2024-03-01T08:00:00.000Z')
    expect(entry.updated).toBe('2024-03-02T10:30:00.000Z')
    expect(entry.links).toEqual([
      { href: `${ORIGIN}/articles/harbour-reopens/` },
      { rel: 'related', href: 'https://news.example.org/harbour?id=1&lang=en' },
      { rel: 'enclosure', href: `${ORIGIN}/images/harbour.jpg`, type: 'image/jpeg' },
    ])
    expect(entry.categories).toEqual([
      { term: 'Shipping', label: 'Shipping', scheme: `${ORIGIN}/topics/shipping/` },
      { term: 'Economy', label: 'Economy', scheme: `${ORIGIN}/topics/economy/` },
    ])
    expect(entry.authors).toEqual([{ name: 'Ana Lima' }])
    expect(entry.content?.value).toContain(`<a href="${ORIGIN}/articles/older/">back</a>`)
    expect(feed.entries!.map((e) => e.id)).toEqual(
      content.articles.filter((a) => a.title !== 'Tomorrow’s news').map((a) => a.id),
    )
  })

  it('JSON Feed 1.1 has the 1.1 version, authors arrays, language and external URLs', async () => {
    const response = await app.fetch('/feed.json')
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8')
    const { raw, feed } = readJsonFeed(await response.text())
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1')
    expect(raw).not.toHaveProperty('author')
    expect(feed.title).toBe('Example Times')
    expect(feed.home_page_url).toBe(`${ORIGIN}/`)
    expect(feed.feed_url).toBe(`${ORIGIN}/feed.json`)
    expect(feed.language).toBe('en-GB')
    expect(feed.authors).toEqual([{ name: 'Example Times Desk', url: `${ORIGIN}/` }])

    const [first, second] = feed.items!
    expect(first).toMatchObject({
      id: harbour.id,
      url: `${ORIGIN}/articles/harbour-reopens/`,
      external_url: 'https://news.example.org/harbour?id=1&lang=en',
      title: 'Harbour reopens',
      summary: 'The harbour is open again.',
      image: `${ORIGIN}/images/harbour.jpg`,
      date_published: '2024-03-01T08:00:00.000Z',
      date_modified: '2024-03-02T10:30:00.000Z',
      authors: [{ name: 'Ana Lima' }],
      tags: ['Shipping', 'Economy'],
    })
    expect(first).not.toHaveProperty('author')
    expect(second).toMatchObject({
      id: budget.id,
      authors: [{ name: 'Bo Chen' }, { name: 'Cy Diaz' }],
    })
    expect(second).not.toHaveProperty('date_modified')
  })

  it('serves each format with its registered media type', async () => {
    expect((await app.fetch('/rss.xml')).headers.get('content-type')).toBe(
      'application/rss+xml; charset=utf-8',
    )
    expect((await app.fetch('/atom.xml')).headers.get('content-type')).toBe(
      'application/atom+xml; charset=utf-8',
    )
  })

  it('builds absolute URLs from the request origin when no base URL is set', async () => {
    const local = testApp(content, { now: NOW }, {})
    const response = await local.fetch('/feed.json')
    const { feed } = readJsonFeed(await response.text())
    expect(feed.feed_url).toBe('https://news.example.com/feed.json')
    const elsewhere = await createRequestFrom('http://127.0.0.1:8787/atom.xml')
    const atom = readAtom(elsewhere)
    expect(atom.links).toContainEqual({ rel: 'self', href: 'http://127.0.0.1:8787/atom.xml' })
    expect(atom.entries![0]!.content?.value).toContain(
      '<a href="http://127.0.0.1:8787/articles/older/">back</a>',
    )
  })
})

async function createRequestFrom(url: string): Promise<string> {
  const { app } = testApp(content, { now: NOW }, {})
  const response = await app.request(url, {}, {})
  return response.text()
}
