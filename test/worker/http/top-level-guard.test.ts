import { afterEach, describe, expect, it, vi } from 'vitest'
import { guardFetch, UNHANDLED_ERROR_LOG } from '../../../src/worker/http/top-level-guard.ts'

/** The one place an exception can end: a logged, plain 500 that tells the client nothing. */

afterEach(() => {
  vi.restoreAllMocks()
})

describe('guardFetch', () => {
  it('turns a throw or a rejection into a plain, uncached 500 without details, and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const secret = new TypeError('cannot read /srv/app/src/http/app.ts:42 SITE_URL')
    for (const handler of [
      () => {
        throw secret
      },
      () => Promise.reject(secret),
    ]) {
      for (const method of ['GET', 'HEAD']) {
        const guarded = guardFetch(handler)
        const response = await guarded(new Request('http://a.example/x', { method }), {}, {})
        expect(response.status).toBe(500)
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
        const body = await response.text()
        expect(body).toBe(
          method === 'HEAD' ? '' : 'Something went wrong on our side. Please try again later.\n',
        )
      }
    }
    expect(log).toHaveBeenCalledTimes(4)
    expect(log.mock.calls[0]?.[0]).toBe(UNHANDLED_ERROR_LOG)
    expect(log.mock.calls[0]).toContain(secret)
  })

  it('passes every answer through untouched', async () => {
    const answer = new Response('ok', { status: 418 })
    const guarded = guardFetch(() => answer)
    expect(await guarded(new Request('http://a.example/'), {}, {})).toBe(answer)
  })
})
