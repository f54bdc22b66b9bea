import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../../support/fixtures.ts'

const content = compileFixture(NEWSROOM)
const app = testApp(content, { now: NOW })
const documents = [
  '/',
  '/topics/',
  '/topics/economy/',
  '/articles/harbour-reopens/',
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/topics/shipping/feed.json',
]

describe('HTTP behaviour of feeds and pages', () => {
  it('answers 200 with a strong ETag, Last-Modified and a cache lifetime', async () => {
    for (const path of documents) {
      const response = await app.fetch(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('etag'), path).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
      expect(response.headers.get('last-modified'), path).toMatch(/ GMT$/)
      expect(response.headers.get('cache-control'), path).toBe(
        'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
      )
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
    expect((await app.fetch('/rss.xml')).headers.get('last-modified')).toBe(
      'Sat, 02 Mar 2024 10:30:00 GMT',
    )
    expect((await app.fetch('/articles/budget-passes/')).headers.get('last-modified')).toBe(
      'Thu, 15 Feb 2024 00:00:00 GMT',
    )
  })

  it('dates an article page from publication when its `updated` is earlier (a typo, not a change)', async () => {
    const typo = compileFixture({
      'typo.md': markdownArticle({ title: 'Typo', date: '2024-05-02', updated: '2024-05-01' }),
    })
    const response = await testApp(typo, { now: NOW }).fetch('/articles/typo/')
    expect(response.headers.get('last-modified')).toBe('Thu, 02 May 2024 00:00:00 GMT')
  })

  it('gives byte-identical output across requests and across isolates', async () => {
    const other = testApp(compileFixture(NEWSROOM), { now: NOW })
    for (const path of documents) {
      const first = new Uint8Array(await (await app.fetch(path)).arrayBuffer())
      const second = new Uint8Array(await (await app.fetch(path)).arrayBuffer())
      const fresh = new Uint8Array(await (await other.fetch(path)).arrayBuffer())
      expect(second, path).toEqual(first)
      expect(fresh, path).toEqual(first)
    }
  })

  it('answers 304 with no body to a matching If-None-Match, whether single, listed, weak or *', async () => {
    for (const path of documents) {
      const tag = (await app.fetch(path)).headers.get('etag')!
      for (const field of [tag, `"other", ${tag}`, `W/${tag}`, '*']) {
        const response = await app.fetch(path, { headers: { 'If-None-Match': field } })
        expect(response.status, `${path} ${field}`).toBe(304)
        expect(await response.text()).toBe('')
        expect(response.headers.get('etag')).toBe(tag)
        expect(response.headers.get('cache-control')).toBe(
          'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
        )
      }
      expect((await app.fetch(path, { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200)
    }
  })

  it('answers 304 to If-Modified-Since at or after Last-Modified, and lets If-None-Match win', async () => {
    const response = await app.fetch('/atom.xml')
    const lastModified = response.headers.get('last-modified')!
    expect(
      (await app.fetch('/atom.xml', { headers: { 'If-Modified-Since': lastModified } })).status,
    ).toBe(304)
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString()
    expect((await app.fetch('/atom.xml', { headers: { 'If-Modified-Since': later } })).status).toBe(
      304,
    )
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect(
      (await app.fetch('/atom.xml', { headers: { 'If-Modified-Since': earlier } })).status,
    ).toBe(200)
    expect(
      (await app.fetch('/atom.xml', { headers: { 'If-Modified-Since': 'yesterday' } })).status,
    ).toBe(200)
    const both = { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified }
    expect((await app.fetch('/atom.xml', { headers: both })).status).toBe(200)
  })

  it('takes * only as the whole If-None-Match (RFC 9110 section 13.1.2)', async () => {
    for (const path of documents) {
      expect((await app.fetch(path, { headers: { 'If-None-Match': '*' } })).status, path).toBe(304)
      for (const field of ['garbage*', 'W/*', '*, "x"', '"x", *', '**']) {
        const response = await app.fetch(path, { headers: { 'If-None-Match': field } })
        expect(response.status, `${path} ${field}`).toBe(200)
      }
    }
  })

  it('reads If-Modified-Since in all three HTTP-date forms (RFC 9110 section 5.6.7)', async () => {
    const lastModified = (await app.fetch('/rss.xml')).headers.get('last-modified')!
    expect(lastModified).toBe('Sat, 02 Mar 2024 10:30:00 GMT')
    for (const since of [
      'Sat, 02 Mar 2024 10:30:00 GMT',
      'Saturday, 02-Mar-24 10:30:00 GMT',
      'Sat Mar  2 10:30:00 2024',
    ]) {
      const response = await app.fetch('/rss.xml', { headers: { 'If-Modified-Since': since } })
      expect(response.status, since).toBe(304)
    }
    for (const since of ['Saturday, 02-Mar-24 10:29:59 GMT', 'Sat Mar  2 10:29:59 2024']) {
      const response = await app.fetch('/rss.xml', { headers: { 'If-Modified-Since': since } })
      expect(response.status, since).toBe(200)
    }
  })

  it('ignores an If-Modified-Since later than the server’s clock', async () => {
    for (const since of ['Fri, 01 Jan 2999 00:00:00 GMT', new Date(NOW + 60_000).toUTCString()]) {
      const response = await app.fetch('/rss.xml', { headers: { 'If-Modified-Since': since } })
      expect(response.status, since).toBe(200)
    }
    const now = new Date(NOW).toUTCString()
    expect((await app.fetch('/rss.xml', { headers: { 'If-Modified-Since': now } })).status).toBe(
      304,
    )
  })

  it('answers 412 to an If-Match that does not match, compared strongly (RFC 9110 section 13.1.1)', async () => {
    for (const path of documents) {
      const tag = (await app.fetch(path)).headers.get('etag')!
      for (const field of ['"nope"', `W/${tag}`, '"', 'garbage']) {
        const response = await app.fetch(path, { headers: { 'If-Match': field } })
        expect(response.status, `${path} ${field}`).toBe(412)
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(await response.text()).toMatch(/^Precondition failed: /)
      }
      for (const field of [tag, `"nope", ${tag}`, '*']) {
        const response = await app.fetch(path, { headers: { 'If-Match': field } })
        expect(response.status, `${path} ${field}`).toBe(200)
      }
    }
  })

  it('answers 412 to an If-Unmodified-Since before Last-Modified (RFC 9110 section 13.1.4)', async () => {
    const lastModified = (await app.fetch('/atom.xml')).headers.get('last-modified')!
    for (const since of [
      'Thu, 01 Jan 1970 00:00:00 GMT',
      'Monday, 01-Jan-90 00:00:00 GMT',
      'Thu Jan  1 00:00:00 1970',
    ]) {
      const response = await app.fetch('/atom.xml', { headers: { 'If-Unmodified-Since': since } })
      expect(response.status, since).toBe(412)
    }
    for (const since of [lastModified, 'Fri, 01 Jan 2999 00:00:00 GMT', 'never', '']) {
      const response = await app.fetch('/atom.xml', { headers: { 'If-Unmodified-Since': since } })
      expect(response.status, since).toBe(200)
    }
  })

  it('evaluates preconditions in the order of RFC 9110 section 13.2.2', async () => {
    const first = await app.fetch('/feed.json')
    const tag = first.headers.get('etag')!
    const lastModified = first.headers.get('last-modified')!
    const status = async (headers: Record<string, string>) =>
      (await app.fetch('/feed.json', { headers })).status
    // If-Match first: its failure wins over a matching If-None-Match.
    expect(await status({ 'If-Match': '"nope"', 'If-None-Match': tag })).toBe(412)
    // With If-Match present, If-Unmodified-Since is not looked at.
    expect(
      await status({ 'If-Match': tag, 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }),
    ).toBe(200)
    expect(await status({ 'If-Match': tag, 'If-None-Match': tag })).toBe(304)
    expect(await status({ 'If-Unmodified-Since': lastModified, 'If-None-Match': tag })).toBe(304)
    // If-None-Match, when present, decides instead of If-Modified-Since.
    expect(await status({ 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified })).toBe(
      200,
    )
    // Range and If-Range are ignored: ranges are not served.
    expect(await status({ Range: 'bytes=0-0', 'If-Range': tag })).toBe(200)
    expect(await status({ Range: 'bytes=0-0', 'If-Range': '"stale"' })).toBe(200)
  })

  it('answers HEAD with the Content-Length of GET, from the routes and from memory', async () => {
    for (const path of documents) {
      for (let round = 0; round < 2; round++) {
        const get = await app.fetch(path)
        const bytes = (await get.arrayBuffer()).byteLength
        const head = await app.fetch(path, { method: 'HEAD' })
        expect(head.headers.get('content-length'), path).toBe(String(bytes))
        expect(await head.text()).toBe('')
      }
    }
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    for (const path of documents) {
      const get = await app.fetch(path)
      const head = await app.fetch(path, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers.get('etag')).toBe(get.headers.get('etag'))
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
      expect(await head.text()).toBe('')
    }
  })

  it('answers 404 with a page for unknown paths, articles and topics', async () => {
    for (const path of [
      '/nope',
      '/articles/nope/',
      '/topics/nope/',
      '/topics/nope/rss.xml',
      '/rss.xml/extra',
      '/articles/',
    ]) {
      const response = await app.fetch(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      const body = await response.text()
      expect(body).toContain('Page not found')
    }
    const reflected = await app.fetch('/%3Cscript%3Ealert(1)%3C/script%3E')
    expect(await reflected.text()).not.toContain('<script>')
  })

  it('redirects folder paths without the trailing slash to the canonical one', async () => {
    const response = await app.fetch('/topics/economy')
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe('/topics/economy/')
    expect((await app.fetch('/articles/budget-passes')).headers.get('location')).toBe(
      '/articles/budget-passes/',
    )
  })

  it('refuses methods that would change something with 405 and an Allow header', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await app.fetch('/rss.xml', { method })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    }
  })

  it('lets web-based readers fetch feeds from other origins, and only feeds', async () => {
    expect((await app.fetch('/feed.json')).headers.get('access-control-allow-origin')).toBe('*')
    expect((await app.fetch('/')).headers.get('access-control-allow-origin')).toBeNull()
    const page = await app.fetch('/')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })
})
