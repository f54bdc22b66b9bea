import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrl, cspViolations, launchBrowser, openPage, saveScreenshot } from './browser.ts'
import { HOSTILE_TITLE } from './fixture-corpus.ts'

/**
 * Hostile titles, topics, captions and bodies show as text and run nothing,
 * in every place they appear, and pages carry their security headers.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Elements and attributes the hostile article would create if anything were unescaped. */
const INJECTED =
  'img[src="x"], svg, b, [onerror], [onload], [onmouseover], a[href^="javascript:"], script:not([type="application/ld+json"]):not([src$="/copy-feed-url.js"])'

/** Gives handlers (onerror, onload) time to fire if any had been injected. */
async function settle(page: import('playwright-core').Page): Promise<void> {
  await page.waitForLoadState('load')
  await page.waitForTimeout(300)
}

describe('hostile content in a browser', () => {
  it('shows an article titled with markup as text, and runs nothing', async () => {
    const opened = await openPage(browser)
    const { page } = opened
    await page.goto(`${baseUrl()}/`)
    await page.getByRole('link', { name: HOSTILE_TITLE }).click()
    await settle(page)
    expect(await page.locator('h1').textContent()).toBe(HOSTILE_TITLE)
    expect(await page.title()).toBe(`${HOSTILE_TITLE} – Edge Feed Publisher`)
    const main = page.getByRole('main')
    expect(
      await main.getByRole('list', { name: 'Topics' }).getByRole('link').allTextContents(),
    ).toEqual(['<script>alert(2)</script>', 'Economy'])
    expect(await main.locator('figure img').getAttribute('alt')).toBe('"><svg onload=alert(3)>')
    expect(await main.locator('figcaption').textContent()).toBe(
      '"><svg onload=alert(3)> <b onmouseover=alert(4)>credit</b>',
    )
    expect(await main.getByRole('link', { name: 'a link' }).count()).toBe(0)
    expect(await page.locator(INJECTED).count()).toBe(0)
    expect(await page.locator('meta[property="og:description"]').getAttribute('content')).toBe(
      '</script><script>alert(5)</script>',
    )
    const jsonLd = JSON.parse(
      (await page.locator('script[type="application/ld+json"]').textContent())!,
    )
    expect(jsonLd.description).toBe('</script><script>alert(5)</script>')
    await saveScreenshot(page, 'hostile-article')
    expect(opened.dialogs).toEqual([])
    expect(cspViolations(opened)).toEqual([])
  })

  it('runs nothing on the pages and feed views that list it', async () => {
    const opened = await openPage(browser)
    const { page } = opened
    const paths = ['/', '/topics/', '/topics/script-alert-2-script/', '/topics/economy/feed.json']
    for (const path of paths) {
      const response = await page.goto(`${baseUrl()}${path}`)
      expect(response?.status(), path).toBe(200)
      await settle(page)
      expect(await page.locator(INJECTED).count(), path).toBe(0)
    }
    expect(await page.getByRole('link', { name: HOSTILE_TITLE }).count()).toBe(1)
    for (const accept of ['application/rss+xml', 'application/atom+xml']) {
      const xslt = await openPage(browser, { feedAccept: accept })
      await xslt.page.goto(
        `${baseUrl()}/topics/economy/${accept.includes('rss') ? 'rss' : 'atom'}.xml`,
      )
      await settle(xslt.page)
      expect(await xslt.page.getByRole('link', { name: HOSTILE_TITLE }).count()).toBe(1)
      expect(await xslt.page.locator(INJECTED).count()).toBe(0)
      expect(xslt.dialogs).toEqual([])
    }
    expect(opened.dialogs).toEqual([])
  })

  it('sends a strict CSP, nosniff and a referrer policy with pages and feeds', async () => {
    const paths = [
      '/',
      '/topics/',
      '/topics/economy/',
      '/articles/harbour-reopens-after-the-storm/',
      '/rss.xml',
    ]
    for (const path of paths) {
      for (const accept of ['text/html', 'application/rss+xml']) {
        const response = await fetch(`${baseUrl()}${path}`, { headers: { Accept: accept } })
        const csp = response.headers.get('content-security-policy') ?? ''
        expect(csp, path).toContain("default-src 'none'")
        expect(csp, path).toContain("script-src 'self'")
        expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/)
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
        expect(response.headers.get('referrer-policy'), path).toBe(
          'strict-origin-when-cross-origin',
        )
      }
    }
  })
})
