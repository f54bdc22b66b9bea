import { describe, expect, it } from 'vitest'
import { refuseMalformedRequest } from '../../../src/worker/http/request-limits.ts'
import { testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { rawRequest } from '../../support/raw-request.ts'

/**
 * Requests refused before routing (issue 14, item 2): a Host that is not one
 * valid host used to make `new URL(request.url)` throw and the runtime answer
 * a bare 500. Each is now a 400 with a one-line body, or 204 for `OPTIONS *`.
 */

const { app } = testApp(compileFixture(NEWSROOM), { now: NOW }, {})
const send = (request: Request) => Promise.resolve(app.request(request, undefined, {}))

describe('the Host of a request', () => {
  it('is refused with 400 when it is not one valid host name', async () => {
    for (const host of [
      'a b',
      'a<b>.example',
      'x|y',
      // Two Host fields, as workerd joins them.
      'a.example, b.example',
      '127.0.0.1:8787\\\\evil.com',
      'evil.com@127.0.0.1',
      '',
      'a.example:99999',
      'a.example:port',
      '[::1',
      'exa\u0000mple.com',
      'ex\u202Eample.com',
      'bücher.example',
      '-',
    ]) {
      for (const method of ['GET', 'HEAD']) {
        const response = await send(rawRequest(host, '/', { method }))
        expect(response.status, JSON.stringify(host)).toBe(400)
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        const body = await response.text()
        if (method === 'HEAD') expect(body).toBe('')
        else
          expect(body).toBe(
            'Bad request: the Host header is not one valid host name (RFC 9110 section 7.2).\n',
          )
      }
    }
  })

  it('is served under every spelling of a valid host', async () => {
    for (const host of [
      'localhost',
      'localhost:8787',
      '127.0.0.1:8787',
      '[::1]:8080',
      'news.example.com',
      'news.example.com.',
      'xn--80ak6aa92e.com',
      'under_score.example',
    ]) {
      const response = await send(rawRequest(host, '/rss.xml'))
      expect(response.status, host).toBe(200)
      expect(await response.text()).toContain(`<link>http://${host}/</link>`)
    }
  })

  it('never throws out of the refusal, whatever request.url holds', () => {
    for (const url of [
      '',
      '*',
      'http://',
      'http://a*',
      'http://a b',
      '/rel',
      'mailto:x',
      'http://[::1]x/',
    ]) {
      const request = new Request('http://raw.invalid/')
      Object.defineProperty(request, 'url', { value: url })
      expect(() => refuseMalformedRequest(request), url).not.toThrow()
      expect(refuseMalformedRequest(request)?.status, url).toBeGreaterThanOrEqual(204)
    }
  })
})

describe('OPTIONS *', () => {
  it('answers 204 with the methods every resource allows (RFC 9110 section 9.3.7)', async () => {
    const response = await send(rawRequest('127.0.0.1:8787', '*', { method: 'OPTIONS' }))
    expect(response.status).toBe(204)
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(await response.text()).toBe('')
  })

  it('is refused with 400 for any other method', async () => {
    const response = await send(rawRequest('127.0.0.1:8787', '*'))
    expect(response.status).toBe(400)
  })
})
