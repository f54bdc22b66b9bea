import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const content = compileFixture(NEWSROOM)
const app = testApp(content, { now: NOW })
const ORIGIN = 'https://news.example.com'

describe('a topic feed', () => {
  it('holds exactly the published articles of its topic, in every format', async () => {
    const rss = readRss(await app.text('/topics/economy/rss.xml'))
    const atom = readAtom(await app.text('/topics/economy/atom.xml'))
    const { feed: json } = readJsonFeed(await app.text('/topics/economy/feed.json'))
    const expected = ['Harbour reopens', 'Budget passes']
    expect(rss.items?.map((item) => item.title)).toEqual(expected)
    expect(atom.entries?.map((entry) => entry.title?.value)).toEqual(expected)
    expect(json.items?.map((item) => item.title)).toEqual(expected)

    const shipping = readRss(await app.text('/topics/shipping/rss.xml'))
    expect(shipping.items?.map((item) => item.title)).toEqual(['Harbour reopens', 'An older story'])
  })

  it('names its topic and links to itself and to the topic page', async () => {
    const rss = readRss(await app.text('/topics/shipping/rss.xml'))
    expect(rss.title).toBe('Example Times: Shipping')
    expect(rss.link).toBe(`${ORIGIN}/topics/shipping/`)
    expect(rss.atom?.links?.[0]?.href).toBe(`${ORIGIN}/topics/shipping/rss.xml`)
    const atom = readAtom(await app.text('/topics/shipping/atom.xml'))
    expect(atom.links).toContainEqual({ rel: 'self', href: `${ORIGIN}/topics/shipping/atom.xml` })
    expect(atom.updated).toBe('2024-03-02T10:30:00.000Z')
    const { feed } = readJsonFeed(await app.text('/topics/shipping/feed.json'))
    expect(feed.feed_url).toBe(`${ORIGIN}/topics/shipping/feed.json`)
    expect(feed.home_page_url).toBe(`${ORIGIN}/topics/shipping/`)
  })

  it('answers 404 for a topic nobody wrote about, and for one whose only article is not out yet', async () => {
    expect((await app.fetch('/topics/weather/rss.xml')).status).toBe(404)
    expect((await app.fetch('/topics/future/atom.xml')).status).toBe(404)
    expect((await app.fetch('/topics/future/')).status).toBe(404)
  })

  it('gives topics with names in other scripts a working slug', async () => {
    const site = compileFixture({
      'a.md':
        '---\ntitle: Київ\ndate: 2024-05-05\ntopics: [Україна, "Côte d’Ivoire"]\n---\nТекст.\n',
    })
    const local = testApp(site, { now: NOW })
    const article = site.articles[0]!
    expect(article.topics).toEqual([
      { slug: 'україна', name: 'Україна' },
      { slug: 'cote-divoire', name: 'Côte d’Ivoire' },
    ])
    const feed = readRss(await local.text(`/topics/${encodeURIComponent('україна')}/rss.xml`))
    expect(feed.items?.map((item) => item.title)).toEqual(['Київ'])
    expect(feed.atom?.links?.[0]?.href).toBe(
      `${ORIGIN}/topics/%D1%83%D0%BA%D1%80%D0%B0%D1%97%D0%BD%D0%B0/rss.xml`,
    )
  })
})
