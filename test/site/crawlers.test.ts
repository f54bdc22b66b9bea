import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { testApp } from '../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../support/fixtures.ts'

const ORIGIN = 'https://news.example.com'
const content = compileFixture(NEWSROOM)

async function readSitemap(now: number) {
  const response = await testApp(content, { now }).fetch('/sitemap.xml')
  expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8')
  const xml = await response.text()
  expect(XMLValidator.validate(xml)).toBe(true)
  const urlset = new XMLParser({ ignoreAttributes: false }).parse(xml).urlset
  expect(urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
  return urlset.url as { loc: string; lastmod: string }[]
}

describe('sitemap and robots.txt', () => {
  it('lists home, topic index, every topic and every published article with its last change', async () => {
    expect(await readSitemap(NOW)).toEqual([
      { loc: `${ORIGIN}/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/economy/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/topics/shipping/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/articles/harbour-reopens/`, lastmod: '2024-03-02T10:30:00.000Z' },
      { loc: `${ORIGIN}/articles/budget-passes/`, lastmod: '2024-02-15T00:00:00.000Z' },
      { loc: `${ORIGIN}/articles/an-older-story/`, lastmod: '2023-12-24T00:00:00.000Z' },
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
