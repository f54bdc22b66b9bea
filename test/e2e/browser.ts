import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { expect, inject } from 'vitest'

/**
 * Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium
 * driven by playwright-core (nothing is downloaded). CHROMIUM_PATH overrides
 * the executable.
 */

export const baseUrl = (): string => inject('baseUrl')

export const SCREENSHOTS = 'test-output/e2e'

/** Pixel widths the layout must work at: a small phone and a desktop. */
export const NARROW = { width: 320, height: 640 }
export const DESKTOP = { width: 1280, height: 900 }

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** An image for the fixtures' /images/ paths, so pages show a picture rather than a broken icon. */
const PICTURE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="600" viewBox="0 0 12 6"><rect width="12" height="6" fill="#2d5f8a"/><rect y="4" width="12" height="2" fill="#1b3a55"/><path d="M2 4V1h.4v3M2 1h3" stroke="#f2b632" stroke-width=".25"/></svg>`

export interface OpenedPage {
  page: Page
  /** Messages the page logged, CSP reports and errors included. */
  console: string[]
  /** Texts of every alert(), confirm() or prompt() the page tried. */
  dialogs: string[]
}

export interface OpenOptions extends BrowserContextOptions {
  /**
   * Fetches RSS and Atom documents with this Accept header and without Fetch
   * Metadata (as a browser that sends none, or a feed reader, asks), so the
   * worker answers with the feed itself rather than its page, and shows them
   * the way Firefox does: as XML, with their XSLT stylesheet.
   * Chromium shows `application/rss+xml` and `application/atom+xml` as plain
   * text and renders only the generic XML types, so the response keeps its
   * bytes and headers (CSP included) but is relabelled `application/xml`.
   */
  feedAccept?: string
}

/** Opens a page in a fresh context, recording console messages and dialogs. */
export async function openPage(browser: Browser, options: OpenOptions = {}): Promise<OpenedPage> {
  const { feedAccept, ...contextOptions } = options
  const context = await browser.newContext({ viewport: DESKTOP, ...contextOptions })
  await context.route('**/images/*.svg', (route) =>
    route.fulfill({ contentType: 'image/svg+xml', body: PICTURE }),
  )
  if (feedAccept) {
    await context.route(
      (url) => /\/(rss|atom)\.xml$/.test(url.pathname),
      async (route) => {
        const headers = Object.entries(route.request().headers()).filter(
          ([name]) => !name.startsWith('sec-fetch-'),
        )
        const response = await route.fetch({
          headers: { ...Object.fromEntries(headers), accept: feedAccept },
        })
        const type = response.headers()['content-type'] ?? ''
        if (!/^application\/(rss|atom)\+xml/.test(type))
          throw new Error(`[e2e] got ${type}, not a feed`)
        await route.fulfill({
          response,
          headers: { ...response.headers(), 'content-type': 'application/xml; charset=utf-8' },
        })
      },
    )
  }
  const page = await context.newPage()
  const opened: OpenedPage = { page, console: [], dialogs: [] }
  page.on('console', (message) => opened.console.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => opened.console.push(`pageerror: ${error.message}`))
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  return opened
}

/** Saves a full-page screenshot under test-output/e2e/. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true })
}

/** Fails when the page is wider than the viewport, i.e. the reader would scroll sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
  expect(
    scrollWidth,
    `page is ${scrollWidth}px wide in a ${clientWidth}px window`,
  ).toBeLessThanOrEqual(clientWidth)
}

/** Messages about Content-Security-Policy violations. */
export function cspViolations(opened: OpenedPage): string[] {
  return opened.console.filter((line) => /Content Security Policy/i.test(line))
}

const require = createRequire(import.meta.url)

/** axe-core's source, injected into pages for the accessibility checks. */
export const AXE_SOURCE_PATH = require.resolve('axe-core/axe.min.js')
