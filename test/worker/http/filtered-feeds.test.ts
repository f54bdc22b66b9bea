import { describe, expect, it } from 'vitest'
import { openSiteIndex, splitSiteIndex } from '../../../src/contract/site-index-module.ts'
import { MAX_FILTER_TOPICS } from '../../../src/feeds/feed-filter.ts'
import { createApp } from '../../../src/worker/http/app.ts'
import { prerenderFixture, SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const content = compileFixture({
  ...NEWSROOM,
  'storm.md': markdownArticle({ title: 'Storm warning', date: '2024-03-05', topics: ['Weather'] }),
  'rain.md': markdownArticle({
    title: 'Rain and trade',
    date: '2024-03-06',
    topics: ['Weather', 'Economy'],
  }),
})

function titlesOf(xml: string): string[] {
  return readRss(xml).items?.map((item) => item.title ?? '') ?? []
}

describe('filtered feeds', () => {
  const app = testApp(content, { now: NOW })

  it('combines topics with ?topics=a,b, with its own self link and ETag', async () => {
    const response = await app.fetch('/rss.xml?topics=shipping,weather')
    expect(response.status).toBe(200)
    const rss = readRss(await response.text())
    expect(rss.items?.map((item) => item.title)).toEqual([
      'Rain and trade',
      'Storm warning',
      'Harbour reopens',
      'An older story',
    ])
    expect(rss.atom?.links?.find((link) => link.rel === 'self')?.href).toBe(
      'https://news.example.com/rss.xml?topics=shipping,weather',
    )
    const site = await app.fetch('/rss.xml')
    expect(response.headers.get('etag')).not.toBe(site.headers.get('etag'))
    expect(response.headers.get('cache-tag')).toBe('feed,feed:filtered,format:rss')
  })

  it('leaves out a topic with ?exclude=c, alone or with topics', async () => {
    expect(titlesOf(await app.text('/rss.xml?exclude=economy'))).toEqual([
      'Storm warning',
      'An older story',
    ])
    expect(titlesOf(await app.text('/rss.xml?topics=weather&exclude=economy'))).toEqual([
      'Storm warning',
    ])
    const atom = readAtom(await app.text('/atom.xml?topics=weather&exclude=economy'))
    expect(atom.title?.value).toBe('Example Times: Weather, without Economy')
    expect(atom.id).toBe('https://news.example.com/atom.xml?topics=weather&exclude=economy')
    const json = readJsonFeed(await app.text('/feed.json?exclude=economy'))
    expect(json.feed.items?.map((item) => item.title)).toEqual(['Storm warning', 'An older story'])
    expect(json.raw.feed_url).toBe('https://news.example.com/feed.json?exclude=economy')
  })

  // A reader polling a filtered feed revalidates it; a fresh isolate answers from the index alone.
  it('answers a revalidation with 304 from the index alone, reading no asset', async () => {
    const etag = (await app.fetch('/atom.xml?topics=shipping,weather')).headers.get('etag')!
    const lastModified = (await app.fetch('/atom.xml?topics=shipping,weather')).headers.get(
      'last-modified',
    )!
    const fixture = prerenderFixture(content, NOW)
    const { module, topics } = splitSiteIndex(fixture.index)
    const read: string[] = []
    const fresh = createApp({
      index: openSiteIndex(module, topics),
      now: () => NOW,
      assets: (path) => {
        read.push(path)
        return fixture.assets(path)
      },
    })
    const ask = (headers: Record<string, string>) =>
      fresh.request(
        'https://news.example.com/atom.xml?topics=shipping,weather',
        { headers },
        SITE_ENV,
      )
    const notModified = await ask({ 'If-None-Match': etag })
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('etag')).toBe(etag)
    expect((await ask({ 'If-Modified-Since': lastModified })).status).toBe(304)
    expect(read).toEqual([])
    // The same validators once the bytes are joined.
    const full = await ask({ 'If-None-Match': '"another"' })
    expect(full.status).toBe(200)
    expect(full.headers.get('etag')).toBe(etag)
    expect(full.headers.get('last-modified')).toBe(lastModified)
    expect(read.length).toBeGreaterThan(0)
  })

  it('redirects other spellings of a filter to the one canonical URL', async () => {
    for (const [asked, canonical] of [
      ['/rss.xml?topics=weather,shipping,weather', '/rss.xml?topics=shipping,weather'],
      ['/rss.xml?exclude=economy&topics=weather', '/rss.xml?topics=weather&exclude=economy'],
      ['/rss.xml?topics=Weather,economy&utm_source=x', '/rss.xml?topics=economy,weather'],
      ['/rss.xml?topics=weather,weather', '/topics/weather/rss.xml'],
      ['/archive/1/feed.json?topics=weather', '/topics/weather/archive/1/feed.json'],
      ['/rss.xml?utm_source=x', '/rss.xml'],
      ['/topics/economy/rss.xml?topics=weather', '/topics/economy/rss.xml'],
    ] as const) {
      const response = await app.fetch(asked)
      expect(response.status, asked).toBe(301)
      expect(new URL(response.headers.get('location')!, 'https://news.example.com').href).toBe(
        `https://news.example.com${canonical}`,
      )
    }
  })

  it('answers 404 naming unknown topics, and 400 for malformed filters', async () => {
    const unknown = await app.fetch('/rss.xml?topics=weather,nope')
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('"nope"')
    const tooMany = Array.from({ length: MAX_FILTER_TOPICS + 1 }, (_, i) => `t${i}`).join(',')
    for (const query of [
      'topics=',
      'topics=weather,,economy',
      'topics=a%20b',
      'topics=weather&topics=economy',
      'topics=weather&exclude=weather',
      `topics=${tooMany}`,
      `exclude=${'x'.repeat(200)}`,
    ]) {
      const response = await app.fetch(`/rss.xml?${query}`)
      expect(response.status, query).toBe(400)
      expect(await response.text()).toMatch(/^Feed filter: /)
    }
  })

  it('quotes the refused input safely: escaped, controls and bidi characters as escapes, capped (issue 14, item 6)', async () => {
    const response = await app.fetch('/rss.xml?topics=ok%00x%E2%80%AEtxt.exe%3Cb%3E%22')
    expect(response.status).toBe(400)
    const body = await response.text()
    expect(body).toBe(
      'Feed filter: "ok\\u0000x\\u202Etxt.exe\\u003Cb\\u003E\\u0022" is not a topic slug; slugs are lowercase words joined by hyphens, as in /topics/<slug>/\n',
    )
    const long = await (await app.fetch(`/rss.xml?exclude=${'ü'.repeat(500)}!`)).text()
    expect(long).toContain(`"${'ü'.repeat(64)}…"`)
    expect(long.length).toBeLessThan(300)
  })
})
