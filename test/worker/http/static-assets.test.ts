import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

/**
 * The static assets the content build writes for seeds/ ([assets] in
 * wrangler.toml), through Cloudflare's own asset handling as workerd runs it
 * for the tests: the pre-rendered page of the seed article, with the headers
 * of the `_headers` file.
 */

const SLUG =
  'south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments'
const ASSETS = (env as unknown as { ASSETS: Fetcher }).ASSETS

describe('the static assets of the seed content', () => {
  it('hold the seed article’s page, with the security headers the worker’s pages carry', async () => {
    const response = await ASSETS.fetch(`http://localhost:8787/articles/${SLUG}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await response.text()
    expect(html).toContain('<h1>South Korea May Send Military Personnel to Ukraine')
    expect(html).toContain(`<link rel="canonical" href="/articles/${SLUG}/">`)
  })

  it('answer a revalidation with 304 Not Modified', async () => {
    const first = await ASSETS.fetch(`http://localhost:8787/articles/${SLUG}/`)
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await ASSETS.fetch(`http://localhost:8787/articles/${SLUG}/`, {
      headers: { 'If-None-Match': etag! },
    })
    expect(again.status).toBe(304)
  })

  it('agree with the worker on the article: same title and body', async () => {
    const fromWorker = await (
      await exports.default.fetch(`http://localhost:8787/articles/${SLUG}/`)
    ).text()
    const fromAssets = await (await ASSETS.fetch(`http://localhost:8787/articles/${SLUG}/`)).text()
    const body = (html: string) => /<div class="article-body">([\s\S]*?)<\/div>\n/.exec(html)?.[1]
    expect(body(fromAssets)).toBeTruthy()
    expect(body(fromAssets)).toBe(body(fromWorker)!.replaceAll('http://localhost:8787', ''))
  })
})
