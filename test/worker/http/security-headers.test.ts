import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'

/** The headers that keep pages, feeds and errors from being misused by another site. */

const app = testApp(compileFixture(NEWSROOM), { now: NOW })
const PAGES = ['/', '/topics/', '/topics/economy/', '/articles/harbour-reopens/', '/no-such-page']
const FEEDS = ['/rss.xml', '/atom.xml', '/feed.json', '/topics/economy/rss.xml']

describe('security headers', () => {
  it('every page, the 404 included, has a strict CSP, nosniff and a Referrer-Policy, and no CORS', async () => {
    for (const path of PAGES) {
      const headers = (await app.fetch(path)).headers
      const csp = headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'none'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain("base-uri 'none'")
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
      expect(headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
      expect(headers.has('access-control-allow-origin'), path).toBe(false)
      expect(headers.has('set-cookie'), path).toBe(false)
    }
  })

  it('feeds are open to every origin, without credentials or cookies', async () => {
    for (const path of FEEDS) {
      for (const method of ['GET', 'OPTIONS']) {
        const headers = (await app.fetch(path, { method })).headers
        expect(headers.get('access-control-allow-origin'), `${method} ${path}`).toBe('*')
        expect(headers.has('access-control-allow-credentials'), path).toBe(false)
        expect(headers.has('set-cookie'), path).toBe(false)
      }
      expect((await app.fetch(path)).headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })

  it('a preflight for a page is answered without CORS', async () => {
    const response = await app.fetch('/articles/harbour-reopens/', { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('refusals and redirects carry nosniff and are not cached as documents', async () => {
    const refusals: [string, RequestInit, number][] = [
      [`/${'a'.repeat(5000)}`, {}, 414],
      ['/rss.xml', { headers: { 'X-Big': 'b'.repeat(40_000) } }, 431],
      ['/topics/%zz/', {}, 400],
      ['/rss.xml', { method: 'POST' }, 405],
    ]
    for (const [path, init, status] of refusals) {
      const response = await app.fetch(path, init)
      expect(response.status, path.slice(0, 20)).toBe(status)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect((await response.text()).length).toBeLessThan(100)
    }
    const redirect = await app.fetch('/topics/economy')
    expect(redirect.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
