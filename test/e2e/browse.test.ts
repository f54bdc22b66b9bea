import { writeFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  baseUrl,
  cspViolations,
  expectNoHorizontalScroll,
  launchBrowser,
  NARROW,
  openPage,
  SCREENSHOTS,
  saveScreenshot,
} from './browser.ts'

/** What a reader does: home page, a topic, an article, at desktop and phone widths. */

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Every page the sitemap lists: the index, then each of its parts. */
async function sitemapPaths(): Promise<string[]> {
  const locs = async (url: string) =>
    [...(await (await fetch(url)).text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map(
      (match) => match[1]!,
    )
  const parts = await locs(`${baseUrl()}/sitemap.xml`)
  return (await Promise.all(parts.map(locs))).flat().map((loc) => new URL(loc).pathname)
}

/** One page of each kind, and a feed's readable page. */
const PAGE_KINDS = [
  '/',
  '/topics/',
  '/topics/economy/',
  '/articles/harbour-reopens-after-the-storm/',
  '/topics/economy/rss.xml',
]

/** Uncompressed bytes of a page's HTML, CSS and script: what a slow phone must fetch to read it. */
const PAGE_WEIGHT_BUDGET = 50_000

describe('browsing the site', () => {
  it('goes from the home page to a topic to an article, and shows the article whole', async () => {
    const opened = await openPage(browser)
    const { page } = opened
    await page.goto(`${baseUrl()}/`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Edge Feed Publisher')
    expect(
      await page.getByRole('link', { name: /subscription list \(OPML\)/ }).getAttribute('href'),
    ).toBe(`${baseUrl()}/feeds.opml`)
    expect(
      await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href'),
    ).toBe(`${baseUrl()}/rss.xml`)
    await saveScreenshot(page, 'home')

    await page
      .getByRole('region', { name: 'Topics' })
      .getByRole('link', { name: 'Economy', exact: true })
      .click()
    await page.waitForURL(`${baseUrl()}/topics/economy/`)
    expect(await page.locator('h1').textContent()).toBe('Economy')
    expect(await page.locator('link[rel="alternate"]').first().getAttribute('href')).toBe(
      `${baseUrl()}/topics/economy/rss.xml`,
    )
    await saveScreenshot(page, 'topic')

    await page.getByRole('link', { name: 'Harbour reopens after the storm' }).click()
    await page.waitForURL(`${baseUrl()}/articles/harbour-reopens-after-the-storm/`)
    const article = page.getByRole('main').locator('article')
    expect(await article.locator('h1').textContent()).toBe('Harbour reopens after the storm')
    expect(await article.locator('.meta').textContent()).toBe(
      'November 3, 2024 · updated November 4, 2024 · by Ana Lima',
    )
    const topics = article.getByRole('list', { name: 'Topics' }).getByRole('link')
    expect(await topics.allTextContents()).toEqual(['Shipping', 'Economy'])
    expect(await topics.first().getAttribute('href')).toBe(`${baseUrl()}/topics/shipping/`)
    expect(await article.getByRole('img').getAttribute('alt')).toBe('Cranes at dawn & dusk')
    expect(await article.locator('figcaption').textContent()).toBe(
      'Cranes at dawn & dusk Port Authority',
    )
    expect(await article.getByRole('heading', { level: 2 }).textContent()).toBe('What changed')
    const source = article.getByRole('link', { name: 'Example News' })
    expect(await source.getAttribute('href')).toBe('https://news.example.org/harbour?id=1&lang=en')
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(page.url())
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(
      'Harbour reopens after the storm',
    )
    expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe(
      'summary_large_image',
    )
    const jsonLd = JSON.parse(
      (await page.locator('script[type="application/ld+json"]').textContent())!,
    )
    expect(jsonLd).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'Harbour reopens after the storm',
      datePublished: '2024-11-03T08:00:00.000Z',
      dateModified: '2024-11-04T10:30:00.000Z',
      author: [{ '@type': 'Person', name: 'Ana Lima' }],
    })
    // The picture really loaded (served by the test), with the alt text as its fallback.
    expect(
      await article.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0)
    await saveScreenshot(page, 'article')
    expect(cspViolations(opened)).toEqual([])
    expect(opened.dialogs).toEqual([])
  })

  it('lists every topic with its count on the topic index, linked to its page', async () => {
    const { page } = await openPage(browser)
    await page.goto(`${baseUrl()}/topics/`)
    const economy = page
      .getByRole('main')
      .getByRole('listitem')
      .filter({ hasText: /^Economy/ })
    expect(await economy.textContent()).toBe('Economy (3)')
    await economy.getByRole('link').click()
    await page.waitForURL(`${baseUrl()}/topics/economy/`)
    await saveScreenshot(page, 'topics')
  })

  it('never scrolls sideways at 320 px, on every page in the sitemap and the feed pages', async () => {
    const { page } = await openPage(browser, { viewport: NARROW })
    const paths = [...(await sitemapPaths()), '/rss.xml', '/topics/economy/feed.json']
    expect(paths.length).toBeGreaterThan(8)
    for (const path of paths) {
      await page.goto(`${baseUrl()}${path}`)
      await expectNoHorizontalScroll(page)
    }
    await page.goto(`${baseUrl()}/`)
    await saveScreenshot(page, 'home-320')
    await page.goto(`${baseUrl()}/articles/harbour-reopens-after-the-storm/`)
    await saveScreenshot(page, 'article-320')
    await page.goto(`${baseUrl()}/topics/shipping/rss.xml`)
    await saveScreenshot(page, 'feed-320')
  })

  it('follows a dark system theme', async () => {
    const { page } = await openPage(browser, { colorScheme: 'dark' })
    await page.goto(`${baseUrl()}/articles/harbour-reopens-after-the-storm/`)
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe('rgb(18, 18, 18)')
    await saveScreenshot(page, 'article-dark')
    await page.goto(`${baseUrl()}/feed.json`)
    await saveScreenshot(page, 'feed-dark')
  })

  it('reads every page kind with JavaScript turned off', async () => {
    const { page } = await openPage(browser, { javaScriptEnabled: false })
    for (const path of PAGE_KINDS) {
      await page.goto(`${baseUrl()}${path}`)
      expect(await page.locator('main h1').isVisible(), path).toBe(true)
      expect((await page.getByRole('main').textContent())?.length, path).toBeGreaterThan(100)
    }
    // The feed page still shows the address to copy by hand; the button needs the script.
    expect(await page.locator('#feed-url').isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Copy address' }).isVisible()).toBe(false)
  })

  it('keeps every page kind light: HTML, CSS and script well under the budget', async () => {
    const weights: Record<string, number> = {}
    for (const path of PAGE_KINDS) {
      // A fresh context each time, so nothing comes from the browser's cache.
      const { page } = await openPage(browser)
      const sizes: Promise<number>[] = []
      page.on('response', (response) => {
        // Pictures belong to the articles, not to the page's own weight.
        if (response.request().resourceType() === 'image') return
        sizes.push(response.body().then((body) => body.byteLength))
      })
      await page.goto(`${baseUrl()}${path}`, { waitUntil: 'networkidle' })
      weights[path] = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0)
      await page.context().close()
    }
    await writeFile(`${SCREENSHOTS}/page-weight.json`, `${JSON.stringify(weights, null, 2)}\n`)
    for (const [path, bytes] of Object.entries(weights)) {
      expect(bytes, path).toBeLessThan(PAGE_WEIGHT_BUDGET)
    }
  })
})
