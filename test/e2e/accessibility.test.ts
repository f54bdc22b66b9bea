import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AXE_SOURCE_PATH, baseUrl, launchBrowser, NARROW, openPage } from './browser.ts'

/**
 * axe-core, run inside each kind of page, in the light and the dark theme and
 * at phone width: no serious or critical violation (WCAG 2.1 A and AA rules,
 * colour contrast included).
 */

let browser: Browser
let axeSource: string
beforeAll(async () => {
  browser = await launchBrowser()
  axeSource = await readFile(AXE_SOURCE_PATH, 'utf8')
})
afterAll(async () => {
  await browser?.close()
})

const PAGES = {
  home: '/',
  'topic index': '/topics/',
  topic: '/topics/economy/',
  article: '/articles/harbour-reopens-after-the-storm/',
  'feed page': '/topics/economy/rss.xml',
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown }[]
}

describe('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [kind, path] of Object.entries(PAGES)) {
      it(`${kind} has no serious or critical axe violation (${colorScheme})`, async () => {
        // axe is injected by the test, which the page's own CSP rightly forbids.
        const { page } = await openPage(browser, {
          colorScheme,
          bypassCSP: true,
          ...(kind === 'article' ? { viewport: NARROW } : {}),
        })
        await page.goto(`${baseUrl()}${path}`)
        await page.evaluate(axeSource)
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run: (options: object) => Promise<{ violations: AxeViolation[] }> }
            }
          ).axe
          const results = await axe.run({
            runOnly: {
              type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
            },
          })
          return results.violations
        })
        const serious = violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map(
            (violation) =>
              `${violation.id} (${violation.help}): ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
          )
        expect(serious).toEqual([])
      })
    }
  }
})
