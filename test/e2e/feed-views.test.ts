import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FEED_FILES, FEED_FORMATS } from '../../src/site/urls.ts'
import { baseUrl, cspViolations, launchBrowser, openPage, saveScreenshot } from './browser.ts'
import { HOSTILE_TITLE } from './fixture-corpus.ts'

/**
 * A feed opened in a browser reads as a page: the worker answers a browser
 * navigation (Fetch Metadata) with HTML, and an RSS or Atom document fetched
 * without Fetch Metadata is turned into the same page by its XSLT stylesheet.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

const feedPath = (format: (typeof FEED_FORMATS)[number]) => `/topics/economy/${FEED_FILES[format]}`

describe('feeds in a browser', () => {
  for (const format of FEED_FORMATS) {
    it(`shows the ${format} feed as a readable page with its address and items`, async () => {
      const opened = await openPage(browser)
      const { page } = opened
      const response = await page.goto(`${baseUrl()}${feedPath(format)}`)
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8')
      expect(response?.headers().vary).toBe('Accept, Sec-Fetch-Dest, Sec-Fetch-Mode')
      expect(await page.locator('h1').textContent()).toBe('Edge Feed Publisher: Economy')
      expect(await page.getByRole('heading', { name: 'This is a web feed' }).count()).toBe(1)
      expect(await page.locator('#feed-url').textContent()).toBe(`${baseUrl()}${feedPath(format)}`)
      const titles = await page.getByRole('main').locator('ol.articles h3').allTextContents()
      expect(titles).toEqual([
        'Harbour reopens after the storm',
        'Budget passes at last',
        HOSTILE_TITLE,
      ])
      await saveScreenshot(page, `feed-page-${format}`)
      expect(cspViolations(opened)).toEqual([])
      expect(opened.dialogs).toEqual([])
    })
  }

  for (const format of ['rss', 'atom'] as const) {
    it(`renders the ${format} document itself into the same page with XSLT`, async () => {
      const url = `${baseUrl()}${feedPath(format)}`
      const readable = await openPage(browser)
      await readable.page.goto(url)
      // Rendered text, as a reader sees it: markup whitespace differs between the two documents.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point.
      const expected = await readable.page.getByRole('main').innerText()

      // A browser's own Accept without Fetch Metadata (as browsers without it send) gets the XML,
      // which names its stylesheet: Accept alone never selects the page.
      const accept =
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'
      const xml = await (await fetch(url, { headers: { accept } })).text()
      expect(xml).toContain(`<?xml-stylesheet href="${baseUrl()}/feed.xsl" type="text/xsl"?>`)
      const opened = await openPage(browser, { feedAccept: accept })
      await opened.page.goto(url)
      await opened.page.locator('main h1').waitFor()
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point.
      expect(await opened.page.getByRole('main').innerText()).toBe(expected)
      await saveScreenshot(opened.page, `feed-xslt-${format}`)
      expect(opened.dialogs).toEqual([])
    })
  }

  for (const view of ['page', 'xslt'] as const) {
    it(`copies the feed address to the clipboard (${view})`, async () => {
      const url = `${baseUrl()}/topics/shipping/rss.xml`
      const opened = await openPage(browser, {
        permissions: ['clipboard-read', 'clipboard-write'],
        ...(view === 'xslt' ? { feedAccept: 'application/rss+xml' } : {}),
      })
      const { page } = opened
      await page.goto(url)
      await page.getByRole('button', { name: 'Copy address' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Copied.')
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
      await saveScreenshot(page, `feed-copied-${view}`)
      // Chromium's own XSLT deprecation banner uses inline style, which the feed's CSP blocks.
      if (view === 'page') expect(cspViolations(opened)).toEqual([])
    })
  }
})
