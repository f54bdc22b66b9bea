import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'

const content = compileFixture(NEWSROOM)

describe('Cache-Tag on every response, for purging Workers Cache', () => {
  const app = testApp(content, { now: NOW })

  it('names the page, topic or feed scope and the format', async () => {
    const expected: Record<string, string> = {
      '/': 'page,page:home',
      '/topics/': 'page,page:topics',
      '/topics/economy/': 'page,page:topic:economy',
      '/articles/harbour-reopens/': 'page,page:article:harbour-reopens',
      '/topics/economy/atom.xml': 'feed,feed:topic:economy,format:atom',
      '/feed.json?topics=economy,shipping': 'feed,feed:filtered,format:json',
      '/articles/nope/': 'page,page:not-found',
      '/topics/nope/rss.xml': 'page,page:not-found',
      '/rss.xml?topics=nope': 'page,page:not-found',
    }
    for (const [path, tags] of Object.entries(expected)) {
      expect((await app.fetch(path)).headers.get('cache-tag'), path).toBe(tags)
    }
  })

  it('answers 304 to a reader holding the ETag of a filtered or a topic feed, with the same tags', async () => {
    for (const path of ['/feed.json?topics=economy,shipping', '/topics/economy/rss.xml']) {
      const first = await app.fetch(path)
      const again = await app.fetch(path, {
        headers: { 'If-None-Match': first.headers.get('etag')! },
      })
      expect(again.status, path).toBe(304)
      expect(again.headers.get('cache-tag')).toBe(first.headers.get('cache-tag'))
    }
  })
})
