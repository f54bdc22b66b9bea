import { describe, expect, it } from 'vitest'
import { sameSiteLocation } from '../../../src/worker/http/redirects.ts'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { rawRequest } from '../../support/raw-request.ts'

/**
 * Every redirect's Location is a path on the site, whatever the raw request
 * target and Host were: the open redirect of issue 14 (`/articles/..\\evil.com`
 * answered `Location: //evil.com/`) and its relatives.
 */

const content = compileFixture(NEWSROOM)

/** True when a browser following the Location from any page of the site stays on it. */
function staysOnSite(location: string): boolean {
  return new URL(location, 'https://news.example.com/a/b').origin === 'https://news.example.com'
}

describe('sameSiteLocation', () => {
  it('keeps a plain path as it is', () => {
    expect(sameSiteLocation('/topics/economy/')).toBe('/topics/economy/')
    expect(sameSiteLocation('/feed.json?topics=a,b')).toBe('/feed.json?topics=a,b')
  })

  it('makes network-path references and backslashes a path on the site', () => {
    for (const location of [
      '//evil.com/',
      '///evil.com',
      '/\\evil.com',
      '\\\\evil.com',
      '/\\/evil.com',
      ' //evil.com',
      '\t/\\evil.com/x',
      'https://evil.com/x?y',
      'javascript:alert(1)',
      '/articles/..\\..\\evil.com/',
    ]) {
      const safe = sameSiteLocation(location)
      expect(safe, location).toMatch(/^\/(?![/\\])/)
      expect(safe, location).not.toContain('\\')
      expect(staysOnSite(safe), location).toBe(true)
    }
    expect(sameSiteLocation('//evil.com/')).toBe('/evil.com/')
    expect(sameSiteLocation('https://news.example.com/articles/x/?a=1')).toBe('/articles/x/?a=1')
  })
})

describe('redirects of raw request targets (issue 14, item 1)', () => {
  // No SITE_URL: the origin comes from the Host, as in `npm run dev`.
  const { app } = testApp(content, { now: NOW }, {})
  const send = async (host: string, target: string) =>
    app.request(rawRequest(host, target), undefined, {})

  it('never sends a client off the site, whatever the path or Host', async () => {
    const cases: [string, string][] = [
      ['127.0.0.1:8787', '/articles/..\\\\evil.com'],
      ['127.0.0.1:8787', '/articles/..\\evil.com'],
      ['127.0.0.1:8787', '/topics/..\\..\\\\evil.com'],
      ['127.0.0.1:8787', '/topics/..\\/evil.com'],
      ['127.0.0.1:8787', '/articles/%2e%2e//evil.com'],
      ['127.0.0.1:8787', '/articles/.%2E/\\evil.com'],
      ['127.0.0.1:8787', '//evil.com/..'],
      ['127.0.0.1:8787', '//evil.com/topics'],
      ['127.0.0.1:8787\\\\evil.com', '/topics/economy'],
      ['127.0.0.1:8787\\evil.com', '/articles/harbour-reopens'],
      ['evil.com\\@127.0.0.1:8787', '/topics'],
      ['127.0.0.1:8787', '/topics/economy'],
      ['127.0.0.1:8787', '/articles/harbour-reopens'],
      ['127.0.0.1:8787', '/feed.json?topics=economy'],
      ['127.0.0.1:8787', '/feed.json?exclude=economy&topics=shipping&x=1'],
    ]
    let redirects = 0
    for (const [host, target] of cases) {
      const response = await send(host, target)
      const location = response.headers.get('location')
      expect(response.status, `${host} ${target}`).toBeLessThan(500)
      if (location === null) continue
      redirects++
      expect(location, `${host} ${target}`).toMatch(/^\/(?![/\\])/)
      expect(staysOnSite(location), `${host} ${target}`).toBe(true)
    }
    expect(redirects).toBeGreaterThanOrEqual(4)
  })

  it('refuses a backslash or a dot segment in the raw path with a 400, as routing and the URL parser would disagree', async () => {
    for (const target of [
      '/articles/..\\\\evil.com',
      '/topics/..\\..\\\\evil.com',
      '/articles/%2e%2e/rss.xml',
      '/topics/./economy/',
      '/a\\b',
    ]) {
      const response = await send('127.0.0.1:8787', target)
      expect(response.status, target).toBe(400)
      expect(response.headers.get('location'), target).toBeNull()
    }
  })

  it('refuses a Host with a backslash instead of redirecting under it', async () => {
    const response = await send('127.0.0.1:8787\\\\evil.com', '/topics/economy')
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
  })

  it('redirects the other spelling of a folder to a path-only Location', async () => {
    const response = await send('127.0.0.1:8787', '/topics/economy?x=1')
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe('/topics/economy/?x=1')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
