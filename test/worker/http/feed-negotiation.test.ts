import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { FEED_FILES, FEED_FORMATS } from '../../../src/site/urls.ts'
import { FEED_ACCEPT_TYPES, prefersHtml } from '../../../src/worker/http/negotiate.ts'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const app = testApp(compileFixture(NEWSROOM), { now: NOW })
const ORIGIN = 'https://news.example.com'

/** Accept fields as browsers send them for a navigation. */
const BROWSERS = {
  chromium:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  firefox: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  safari: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
}

/** Accept fields as feed readers and fetch libraries send them (or none at all). */
const READERS = {
  none: undefined,
  'curl and most libraries': '*/*',
  'python feedparser':
    'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1',
  'a reader that names every type':
    'application/rss+xml, application/atom+xml, application/feed+json, text/html;q=0.5',
  'html and feeds at equal weight':
    'text/html, application/rss+xml, application/atom+xml, application/feed+json',
  'html refused': 'text/html;q=0, */*',
}

function get(path: string, accept?: string, headers: Record<string, string> = {}) {
  return app.fetch(path, { headers: { ...(accept ? { accept } : {}), ...headers } })
}

describe('Accept negotiation (RFC 9110 section 12.5.1)', () => {
  it('prefers HTML only when text/html outweighs every type the feed answers to', () => {
    for (const accept of Object.values(BROWSERS)) {
      for (const format of FEED_FORMATS)
        expect(prefersHtml(accept, FEED_ACCEPT_TYPES[format])).toBe(true)
    }
    for (const accept of Object.values(READERS)) {
      for (const format of FEED_FORMATS)
        expect(prefersHtml(accept, FEED_ACCEPT_TYPES[format])).toBe(false)
    }
    // The most specific range decides for each type; text/xml is a feed type too.
    expect(prefersHtml('text/html, application/*;q=0.5', FEED_ACCEPT_TYPES.rss)).toBe(true)
    expect(prefersHtml('text/*, application/*;q=0.5', FEED_ACCEPT_TYPES.rss)).toBe(false)
    expect(prefersHtml('text/*, application/*;q=0.5', FEED_ACCEPT_TYPES.json)).toBe(true)
    expect(prefersHtml('text/*, application/rss+xml', FEED_ACCEPT_TYPES.rss)).toBe(false)
    expect(prefersHtml('text/html;q=0.9, application/json;q=1', FEED_ACCEPT_TYPES.json)).toBe(false)
    expect(prefersHtml('text/html;q=0.9, application/json;q=1', FEED_ACCEPT_TYPES.rss)).toBe(true)
    // Malformed fields never select the page.
    expect(prefersHtml(',,;;', FEED_ACCEPT_TYPES.rss)).toBe(false)
    expect(prefersHtml('text/html;q=abc, */*', FEED_ACCEPT_TYPES.rss)).toBe(false)
  })

  for (const format of FEED_FORMATS) {
    const path = `/topics/shipping/${FEED_FILES[format]}`

    it(`gives browsers the readable page of the ${format} feed, with Vary and the page's headers`, async () => {
      const response = await get(path, BROWSERS.firefox)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('vary')).toBe('Accept')
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
      const html = await response.text()
      expect(html).toContain('<h1>Example Times: Shipping</h1>')
      expect(html).toContain(`<code id="feed-url">${ORIGIN}${path}</code>`)
      expect(html).toContain(`<a href="${ORIGIN}/articles/harbour-reopens/">Harbour reopens</a>`)
      expect(html).toContain(`<script src="${ORIGIN}/copy-feed-url.js" defer></script>`)
      expect(html).toContain('<meta name="robots" content="noindex">')
      expect(html).not.toMatch(/<script>|\son[a-z]+=/)
    })

    it(`gives readers the ${format} feed itself, whatever they send`, async () => {
      for (const [reader, accept] of Object.entries(READERS)) {
        const response = await get(path, accept)
        expect(response.headers.get('content-type'), reader).toMatch(
          /^application\/(rss|atom|feed)\+(xml|json)/,
        )
        expect(response.headers.get('vary'), reader).toBe('Accept')
        const body = await response.text()
        const feed =
          format === 'rss'
            ? readRss(body)
            : format === 'atom'
              ? readAtom(body)
              : readJsonFeed(body).feed
        // feedsmith gives Atom's text constructs as { value }.
        const title = typeof feed.title === 'string' ? feed.title : feed.title?.value
        expect(title, reader).toBe('Example Times: Shipping')
      }
    })

    it(`keeps separate ETags for the ${format} feed and its page, and 304s only within a variant`, async () => {
      const feed = await get(path, '*/*')
      const page = await get(path, BROWSERS.chromium)
      const feedTag = feed.headers.get('etag')!
      const pageTag = page.headers.get('etag')!
      expect(feedTag).not.toBe(pageTag)
      // The same variant again: byte-identical, same tag.
      expect(await (await get(path, '*/*')).text()).toBe(await feed.text())
      expect((await get(path, BROWSERS.chromium)).headers.get('etag')).toBe(pageTag)

      const notModified = await get(path, '*/*', { 'if-none-match': feedTag })
      expect(notModified.status).toBe(304)
      expect(notModified.headers.get('vary')).toBe('Accept')
      expect((await get(path, BROWSERS.chromium, { 'if-none-match': pageTag })).status).toBe(304)
      // A browser holding the feed's tag gets the page, not a 304 for the wrong body.
      const crossed = await get(path, BROWSERS.chromium, { 'if-none-match': feedTag })
      expect(crossed.status).toBe(200)
      expect(crossed.headers.get('content-type')).toBe('text/html; charset=utf-8')
    })
  }

  it('has RSS and Atom name the XSLT stylesheet, which is well-formed XML', async () => {
    for (const file of ['/rss.xml', '/atom.xml', '/topics/economy/rss.xml']) {
      const xml = await (await get(file, '*/*')).text()
      expect(xml.split('\n')[0]).toBe(
        `<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="${ORIGIN}/feed.xsl" type="text/xsl"?>`,
      )
    }
    expect(await (await get('/feed.json', '*/*')).text()).not.toContain('xml-stylesheet')
    const stylesheet = await get('/feed.xsl')
    expect(stylesheet.headers.get('content-type')).toBe('text/xsl; charset=utf-8')
    const xsl = await stylesheet.text()
    expect(XMLValidator.validate(xsl)).toBe(true)
    expect(xsl).toContain('<xsl:stylesheet version="1.0"')
    expect(xsl).toContain(
      '<a class="site-title" href="https://news.example.com/">Example Times</a>',
    )
  })

  it('keeps the stylesheet well-formed and the page escaped whatever the site title holds', async () => {
    const title = 'News & "Views" <b>]]></title> 🐟 שלום'
    const hostile = testApp(
      compileFixture(NEWSROOM),
      { now: NOW },
      { ...SITE_ENV, SITE_TITLE: title },
    )
    const xsl = await (await hostile.fetch('/feed.xsl')).text()
    expect(XMLValidator.validate(xsl)).toBe(true)
    expect(xsl).toContain('News &amp; &quot;Views&quot; &lt;b&gt;]]&gt;&lt;/title&gt; 🐟 שלום</a>')
    const page = await (
      await hostile.fetch('/rss.xml', { headers: { accept: BROWSERS.firefox } })
    ).text()
    expect(page).toContain(
      '<h1>News &amp; &quot;Views&quot; &lt;b&gt;]]&gt;&lt;/title&gt; 🐟 שלום</h1>',
    )
  })

  it('serves the copy button script as a same-origin JavaScript file', async () => {
    const response = await get('/copy-feed-url.js')
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('navigator.clipboard.writeText')
  })
})
