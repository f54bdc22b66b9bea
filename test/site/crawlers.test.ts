import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { testApp } from '../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../support/fixtures.ts'

const ORIGIN = 'https://news.example.com'
const content = compileFixture(NEWSROOM)

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
})

async function readXml(app: ReturnType<typeof testApp>, path: string) {
  const response = await app.fetch(path)
  expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8')
  const xml = await response.text()
  expect(XMLValidator.validate(xml)).toBe(true)
  return parser.parse(xml)
}

/** Every URL of the sitemap, read as a crawler does: the index, then each of its parts. */
async function readSitemap(now: number) {
  const app = testApp(content, { now })
  const index = (await readXml(app, '/sitemap.xml')).sitemapindex
  expect(index['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
  const urls: { loc: string; lastmod: string }[] = []
  for (const part of index.sitemap as { loc: string }[]) {
    expect(part.loc.startsWith(`${ORIGIN}/sitemaps/`)).toBe(true)
    const urlset = (await readXml(app, new URL(part.loc).pathname)).urlset
    expect(urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
    urls.push(...(urlset.url as { loc: string; lastmod: string }[]))
  }
  return urls
}

describe('sitemap and robots.txt', () => {
  it('lists home, topic index, every topic and every published article with its last change', async () => {
    expect(await readSitemap(NOW)).toEqual([
      { loc: `${ORIGIN}/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/economy/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/shipping/`, lastmod: '2024-03-02T10:30:00.000Z' },
      // Articles in parts counted from the oldest, so every part but the newest stays as it is.
      { loc: `${ORIGIN}/articles/an-older-story/`, lastmod: '2023-12-24T00:00:00.000Z' },
      { loc: `${ORIGIN}/articles/budget-passes/`, lastmod: '2024-02-15T00:00:00.000Z' },
      { loc: `${ORIGIN}/articles/harbour-reopens/`, lastmod: '2024-03-02T10:30:00.000Z' },
    ])
  })

  it('adds a future article, and its new topic, once its date has passed', async () => {
    const later = await readSitemap(Date.parse('2030-01-02T00:00:00Z'))
    expect(later).toContainEqual({
      loc: `${ORIGIN}/topics/future/`,
      lastmod: '2030-01-01T06:00:00.000Z',
    })
    expect(later.filter((url) => url.loc.includes('/articles/'))).toHaveLength(4)
  })

  it('points robots.txt at the sitemap', async () => {
    const response = await testApp(content, { now: NOW }).fetch('/robots.txt')
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect((await response.text()).split('\n')).toEqual([
      'User-agent: *',
      'Allow: /',
      '',
      `Sitemap: ${ORIGIN}/sitemap.xml`,
      '',
    ])
  })
})
