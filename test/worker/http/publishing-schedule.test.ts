import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const content = compileFixture(NEWSROOM)
const DUE = Date.parse('2030-01-01T06:00:00Z')

const everyDocument = [
  '/',
  '/topics/',
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/topics/economy/',
  '/topics/economy/rss.xml',
  '/topics/economy/atom.xml',
  '/topics/economy/feed.json',
]

async function titlesEverywhere(app: ReturnType<typeof testApp>): Promise<string[]> {
  const rss = readRss(await app.text('/rss.xml')).items?.map((item) => item.title ?? '') ?? []
  const atom =
    readAtom(await app.text('/topics/economy/atom.xml')).entries?.map(
      (e) => e.title?.value ?? '',
    ) ?? []
  const json =
    readJsonFeed(await app.text('/feed.json')).feed.items?.map((item) => item.title ?? '') ?? []
  return [...rss, ...atom, ...json]
}

describe('publishing by date', () => {
  it('never publishes a draft: not in feeds, pages or its own URL', async () => {
    const app = testApp(content, { now: DUE + 1000 })
    expect(content.articles.map((article) => article.title)).not.toContain('Secret draft')
    for (const path of everyDocument) expect(await app.text(path)).not.toContain('Secret draft')
    expect((await app.fetch('/articles/secret-draft/')).status).toBe(404)
  })

  it('keeps a future-dated article out of everything until its date, then shows it everywhere', async () => {
    const clock = { now: DUE - 1000 }
    const app = testApp(content, clock)
    expect(await titlesEverywhere(app)).not.toContain('Tomorrow’s news')
    for (const path of everyDocument) expect(await app.text(path)).not.toContain('Tomorrow’s news')
    expect((await app.fetch('/articles/tomorrows-news/')).status).toBe(404)
    const before = await app.fetch('/topics/economy/atom.xml')
    const beforeTag = before.headers.get('etag')
    // Caches must not keep the old feed past the moment the article is due.
    expect(before.headers.get('cache-control')).toBe('public, max-age=1, stale-if-error=86400')

    clock.now = DUE
    const rss = readRss(await app.text('/rss.xml'))
    expect(rss.items?.[0]?.title).toBe('Tomorrow’s news')
    expect(new Date(rss.lastBuildDate!).toISOString()).toBe('2030-01-01T06:00:00.000Z')
    const atom = readAtom(await app.text('/topics/economy/atom.xml'))
    expect(atom.entries?.[0]?.title?.value).toBe('Tomorrow’s news')
    expect(
      readJsonFeed(await app.text('/topics/future/feed.json')).feed.items?.map((i) => i.title),
    ).toEqual(['Tomorrow’s news'])
    expect(await app.text('/articles/tomorrows-news/')).toContain('From the future.')
    expect(await app.text('/')).toContain('Tomorrow’s news')
    const after = await app.fetch('/topics/economy/atom.xml')
    expect(after.headers.get('etag')).not.toBe(beforeTag)
    expect(after.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
    )
    // A reader holding the old ETag gets the new feed, not a 304.
    expect(
      (await app.fetch('/topics/economy/atom.xml', { headers: { 'If-None-Match': beforeTag! } }))
        .status,
    ).toBe(200)
  })

  it('does not show articles of other topics in a topic that gains a due article', async () => {
    const app = testApp(content, { now: NOW })
    expect((await app.fetch('/topics/future/')).status).toBe(404)
    const shipping = readRss(await app.text('/topics/shipping/rss.xml'))
    expect(shipping.items?.map((item) => item.title)).not.toContain('Tomorrow’s news')
  })
})
