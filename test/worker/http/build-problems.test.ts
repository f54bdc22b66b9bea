import { describe, expect, it } from 'vitest'
import type { Problem } from '../../../src/contract/problem.ts'
import { showBuildProblems } from '../../../src/worker/http/build-problems.ts'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readRss } from '../../support/readers.ts'

/** The preview worker after a failed build (npm run dev): problems in the browser, feeds kept. */

const PROBLEMS: Problem[] = [
  {
    file: 'seeds/a.md',
    line: 3,
    field: 'date',
    message: '"2024-02-30" is not a day of the calendar',
    hint: 'Use ISO 8601, like `2024-10-22`',
  },
  {
    file: 'seeds/<b>.md',
    field: 'title',
    message: 'the article has no title',
    hint: 'Add `title: …` & try again',
  },
  {
    file: 'seeds/c.md',
    line: 2,
    severity: 'warning',
    field: 'summary',
    message: 'the article has no summary',
    hint: 'Add `summary: …`',
  },
]

const app = testApp(compileFixture(NEWSROOM), { now: NOW }).app
const context = {} as ExecutionContext
const ORIGIN = 'https://news.example.com'

function browse(worker: ReturnType<typeof showBuildProblems>, path: string, accept: string) {
  return worker.fetch(
    new Request(`${ORIGIN}${path}`, { headers: { Accept: accept } }),
    SITE_ENV,
    context,
  )
}

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

describe('the preview after a failed build', () => {
  const worker = showBuildProblems(app, PROBLEMS)

  it('answers every page a browser asks for with the list of every problem', async () => {
    for (const path of ['/', '/topics/economy/', '/articles/harbour-reopens/', '/nowhere']) {
      const response = await browse(worker, path, BROWSER)
      expect(response.status).toBe(500)
      expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('Cache-Control')).toBe('no-store')
      const page = await response.text()
      expect(page).toContain('<h1>The articles have 2 errors</h1>')
      const items = [...page.matchAll(/<li><code>(.*?)<\/code><\/li>/g)].map((match) => match[1])
      expect(items).toEqual([
        '[content] seeds/a.md:3: date: &quot;2024-02-30&quot; is not a day of the calendar. Use ISO 8601, like `2024-10-22`',
        '[content] seeds/&lt;b&gt;.md: title: the article has no title. Add `title: …` &amp; try again',
        '[content] seeds/c.md:2: warning: summary: the article has no summary. Add `summary: …`',
      ])
    }
  })

  it('keeps serving the last good feeds to feed readers', async () => {
    const response = await browse(worker, '/rss.xml', 'application/rss+xml')
    expect(response.status).toBe(200)
    expect(readRss(await response.text()).items?.map((item) => item.title)).toEqual([
      'Harbour reopens',
      'Budget passes',
      'An older story',
    ])
  })
})

describe('the worker after a good build', () => {
  it('is the app itself', async () => {
    expect(showBuildProblems(app, [])).toBe(app)
    const response = await browse(showBuildProblems(app, []), '/', BROWSER)
    expect(response.status).toBe(200)
  })
})
