import { describe, expect, it } from 'vitest'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM } from '../../support/fixtures.ts'
import { readRss } from '../../support/readers.ts'

/**
 * The fast path (src/worker/http/response-memo.ts) answers a URL it has answered
 * before without routing. What a reader gets must be exactly what routing
 * gives, and must change the moment an article becomes due.
 */

const content = compileFixture(NEWSROOM)
const DUE = Date.parse('2030-01-01T06:00:00Z')
const LONG_BEFORE = DUE - 30 * 86_400_000

async function snapshot(response: Response) {
  return {
    status: response.status,
    headers: [...response.headers].sort(),
    body: await response.text(),
  }
}

describe('remembered responses', () => {
  it('are the same status, headers and bytes as the routed ones, for GET, HEAD and revalidation', async () => {
    const app = testApp(content, { now: LONG_BEFORE })
    for (const path of [
      '/rss.xml',
      '/topics/economy/feed.json',
      '/',
      '/articles/harbour-reopens/',
    ]) {
      const routed = await snapshot(await app.fetch(path))
      expect(routed.status, path).toBe(200)
      expect(await snapshot(await app.fetch(path)), path).toEqual(routed)
      const head = await app.fetch(path, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(await head.text()).toBe('')
      const etag = routed.headers.find(([name]) => name === 'etag')![1]
      const lastModified = routed.headers.find(([name]) => name === 'last-modified')?.[1]
      const revalidated = await app.fetch(path, { headers: { 'If-None-Match': `W/${etag}` } })
      expect(revalidated.status).toBe(304)
      expect(revalidated.headers.get('etag')).toBe(etag)
      if (lastModified) {
        const since = await app.fetch(path, { headers: { 'If-Modified-Since': lastModified } })
        expect(since.status).toBe(304)
      }
      const stale = await app.fetch(path, { headers: { 'If-None-Match': '"something-else"' } })
      expect(stale.status).toBe(200)
    }
  })

  it('keep a browser’s readable page and a reader’s feed apart on the same URL', async () => {
    const app = testApp(content, { now: LONG_BEFORE })
    const browser = {
      headers: {
        Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'document',
      },
    }
    // Java's default Accept puts text/html first; only Fetch Metadata marks a browser.
    const reader = { headers: { Accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' } }
    for (let round = 0; round < 3; round++) {
      const page = await app.fetch('/rss.xml', browser)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      const feed = await app.fetch('/rss.xml', reader)
      expect(feed.headers.get('content-type')).toMatch(/^application\/rss\+xml/)
      expect(readRss(await feed.text()).title).toBe('Example Times')
    }
  })

  it('give way to the new content the moment a future-dated article is due', async () => {
    const clock = { now: DUE - 1000 }
    const app = testApp(content, clock)
    for (let request = 0; request < 3; request++) {
      expect(readRss(await app.text('/rss.xml')).items?.[0]?.title).not.toBe('Tomorrow’s news')
    }
    clock.now = DUE
    expect(readRss(await app.text('/rss.xml')).items?.[0]?.title).toBe('Tomorrow’s news')
  })

  it('answer a URL with no document with the same 404 every time, until an article makes it one', async () => {
    const clock = { now: DUE - 1000 }
    const app = testApp(content, clock)
    for (const path of ['/no-such-page', '/topics/nowhere/rss.xml', '/rss.xml?topics=nowhere']) {
      const routed = await snapshot(await app.fetch(path))
      expect(routed.status, path).toBe(404)
      expect(routed.body, path).not.toBe('')
      for (let request = 0; request < 3; request++) {
        expect(await snapshot(await app.fetch(path)), path).toEqual(routed)
      }
      const head = await app.fetch(path, { method: 'HEAD' })
      expect(head.status).toBe(404)
      expect(await head.text()).toBe('')
      // RFC 9110 section 13.2.1: preconditions do not apply to an answer that is not 2xx.
      const conditional = await app.fetch(path, { headers: { 'If-None-Match': '*' } })
      expect(conditional.status).toBe(404)
    }
    for (let request = 0; request < 3; request++) {
      expect((await app.fetch('/articles/tomorrows-news/')).status).toBe(404)
    }
    clock.now = DUE
    expect(await app.text('/articles/tomorrows-news/')).toContain('From the future.')
  })

  it('keep the feeds when a scanner asks for thousands of unknown URLs', async () => {
    const app = testApp(content, { now: LONG_BEFORE })
    const feed = await snapshot(await app.fetch('/rss.xml'))
    for (let probe = 0; probe < 3000; probe++) {
      expect((await app.fetch(`/wp-admin/${probe}.php`)).status).toBe(404)
    }
    expect(await snapshot(await app.fetch('/rss.xml'))).toEqual(feed)
  })

  // The memo answers before the target checks (a URL it holds passed them), never before the size limits.
  it('still refuse oversized headers on a remembered URL', async () => {
    const app = testApp(content, { now: LONG_BEFORE })
    const feed = await snapshot(await app.fetch('/rss.xml'))
    expect((await app.fetch('/rss.xml', { headers: { 'X-Big': 'b'.repeat(40_000) } })).status).toBe(
      431,
    )
    expect(await snapshot(await app.fetch('/rss.xml'))).toEqual(feed)
  })

  // Settings are read by the content build (documents are prerendered with them), so a
  // setting changed only at run time, as in the dashboard, shows after the next deploy.
  it('follow the settings of the build, not of the request', async () => {
    const { app } = testApp(content, { now: LONG_BEFORE })
    const renamed = { ...SITE_ENV, SITE_TITLE: 'Another Title' }
    const title = async (env: typeof SITE_ENV) =>
      readRss(await (await app.request('https://news.example.com/rss.xml', {}, env)).text()).title
    expect(await title(SITE_ENV)).toBe('Example Times')
    expect(await title(renamed)).toBe('Example Times')
    const rebuilt = testApp(content, { now: LONG_BEFORE }, renamed)
    expect(readRss(await rebuilt.text('/rss.xml')).title).toBe('Another Title')
  })
})
