import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { FEED_FILES, FEED_FORMATS } from '../../../src/site/urls.ts'
import {
  acceptsHtml,
  FEED_VARY,
  isNavigation,
  wantsFeedPage,
} from '../../../src/worker/http/negotiate.ts'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'
import { BROWSER_NAVIGATIONS, CLIENTS, FEED_CLIENTS } from './client-headers.ts'

const app = testApp(compileFixture(NEWSROOM), { now: NOW })
const ORIGIN = 'https://news.example.com'

const CHROME = BROWSER_NAVIGATIONS.find((client) => client.name === 'Chrome')!.headers
const FIREFOX = BROWSER_NAVIGATIONS.find((client) => client.name === 'Firefox')!.headers
const CURL = FEED_CLIENTS.find((client) => client.name === 'curl')!.headers

function get(path: string, headers: Record<string, string> = {}) {
  return app.fetch(path, { headers })
}

describe('negotiation for browser navigations only (Fetch Metadata)', () => {
  it('reads navigation from Sec-Fetch-Mode or Sec-Fetch-Dest, and HTML from Accept', () => {
    const headers = (init: Record<string, string>) => new Headers(init)
    expect(isNavigation(headers({ 'Sec-Fetch-Mode': 'navigate' }))).toBe(true)
    expect(isNavigation(headers({ 'Sec-Fetch-Dest': 'document' }))).toBe(true)
    expect(isNavigation(headers({ 'Sec-Fetch-Mode': 'NAVIGATE ' }))).toBe(true)
    expect(isNavigation(headers({ 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' }))).toBe(
      false,
    )
    expect(isNavigation(headers({ 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' }))).toBe(
      false,
    )
    expect(isNavigation(headers({}))).toBe(false)
    expect(acceptsHtml(undefined)).toBe(true)
    expect(acceptsHtml('text/html;q=0, */*')).toBe(false)
    expect(acceptsHtml('application/xml')).toBe(false)
    expect(acceptsHtml('text/*;q=0.1')).toBe(true)
    // Malformed weights count as 1; malformed ranges are skipped.
    expect(acceptsHtml('text/html;q=abc')).toBe(true)
    expect(acceptsHtml(',,;;')).toBe(false)
  })

  it('decides every client in the table as specified', () => {
    for (const client of CLIENTS) {
      expect(wantsFeedPage(new Headers(client.headers)), client.name).toBe(client.gets === 'page')
    }
  })

  for (const format of FEED_FORMATS) {
    const path = `/topics/shipping/${FEED_FILES[format]}`

    it(`answers every client in the table on the ${format} feed, with Vary naming what was read`, async () => {
      for (const client of CLIENTS) {
        const response = await get(path, client.headers)
        expect(response.status, client.name).toBe(200)
        expect(response.headers.get('vary'), client.name).toBe(FEED_VARY)
        const type = response.headers.get('content-type')
        if (client.gets === 'page') {
          expect(type, client.name).toBe('text/html; charset=utf-8')
          expect(await response.text(), client.name).toContain('<h1>Example Times: Shipping</h1>')
          continue
        }
        expect(type, client.name).toMatch(/^application\/(rss|atom|feed)\+(xml|json)/)
        const body = await response.text()
        const feed =
          format === 'rss'
            ? readRss(body)
            : format === 'atom'
              ? readAtom(body)
              : readJsonFeed(body).feed
        // feedsmith gives Atom's text constructs as { value }.
        const title = typeof feed.title === 'string' ? feed.title : feed.title?.value
        expect(title, client.name).toBe('Example Times: Shipping')
      }
    })

    it(`gives browsers the readable page of the ${format} feed, with the page's headers`, async () => {
      const response = await get(path, FIREFOX)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('vary')).toBe('Accept, Sec-Fetch-Dest, Sec-Fetch-Mode')
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
      const html = await response.text()
      expect(html).toContain('<h1>Example Times: Shipping</h1>')
      expect(html).toContain(`<code id="feed-url">${ORIGIN}${path}</code>`)
      expect(html).toContain(`<a href="${ORIGIN}/articles/harbour-reopens/">Harbour reopens</a>`)
      expect(html).toContain(`<script src="${ORIGIN}/copy-feed-url.js" defer></script>`)
      expect(html).toContain('<meta name="robots" content="noindex">')
      expect(html).not.toMatch(/<script>|\son[a-z]+=/)
    })

    it(`keeps separate ETags for the ${format} feed and its page, and 304s only within a variant`, async () => {
      const feed = await get(path, CURL)
      const page = await get(path, CHROME)
      const feedTag = feed.headers.get('etag')!
      const pageTag = page.headers.get('etag')!
      expect(feedTag).not.toBe(pageTag)
      // The same variant again: byte-identical, same tag.
      expect(await (await get(path, CURL)).text()).toBe(await feed.text())
      expect((await get(path, CHROME)).headers.get('etag')).toBe(pageTag)
      // The remembered response of one variant never answers the other (the memo keys on the choice).
      const java = FEED_CLIENTS[0]!.headers
      expect((await get(path, java)).headers.get('etag')).toBe(feedTag)
      expect((await get(path, { ...java, 'Sec-Fetch-Dest': 'document' })).headers.get('etag')).toBe(
        pageTag,
      )

      const notModified = await get(path, { ...CURL, 'if-none-match': feedTag })
      expect(notModified.status).toBe(304)
      expect(notModified.headers.get('vary')).toBe(FEED_VARY)
      expect((await get(path, { ...CHROME, 'if-none-match': pageTag })).status).toBe(304)
      // A browser holding the feed's tag gets the page, not a 304 for the wrong body.
      const crossed = await get(path, { ...CHROME, 'if-none-match': feedTag })
      expect(crossed.status).toBe(200)
      expect(crossed.headers.get('content-type')).toBe('text/html; charset=utf-8')
    })
  }

  it('has RSS and Atom name the XSLT stylesheet, which is well-formed XML', async () => {
    for (const file of ['/rss.xml', '/atom.xml', '/topics/economy/rss.xml']) {
      const xml = await (await get(file, CURL)).text()
      expect(xml.split('\n')[0]).toBe(
        `<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="${ORIGIN}/feed.xsl" type="text/xsl"?>`,
      )
    }
    expect(await (await get('/feed.json', CURL)).text()).not.toContain('xml-stylesheet')
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
    const page = await (await hostile.fetch('/rss.xml', { headers: FIREFOX })).text()
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
