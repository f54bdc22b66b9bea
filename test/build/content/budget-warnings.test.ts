import { describe, expect, it } from 'vitest'
import { findOversizedArticles } from '../../../src/build/content/budget-warnings.ts'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { readSiteConfig } from '../../../src/site/site-config.ts'
import { markdownArticle } from '../../support/fixtures.ts'

/** `npm run check` and the build warn about an article feeds can only carry as its summary (issue 14, item 4). */

describe('findOversizedArticles', () => {
  it('warns about an article too large for the byte budget alone, naming its file', () => {
    const encoder = new TextEncoder()
    const body = Array.from(
      { length: 900 },
      (_, index) => `Paragraph ${index}: ${'words '.repeat(170)}`,
    ).join('\n\n')
    const result = compileContent(
      [
        [
          'reports/huge.md',
          markdownArticle({ title: 'Huge', date: '2024-03-02', summary: 'S.' }, body),
        ],
        ['small.md', markdownArticle({ title: 'Small', date: '2024-03-01', summary: 'S.' })],
      ].map(([path, text]) => ({ path: path!, bytes: encoder.encode(text) })),
    )
    if (!result.ok) throw new Error('the fixture did not compile')
    const site = readSiteConfig({})
    expect(
      findOversizedArticles(result.content.articles, result.files, site).map(formatProblem),
    ).toEqual([
      '[content] reports/huge.md: warning: body: the article is too large for a feed document of 262144 bytes (FEED_BYTE_BUDGET) on its own, so feeds carry only its summary and a link to its page. Shorten it or split it into parts to have feeds carry it whole; its page shows it whole either way',
    ])
    expect(
      findOversizedArticles(result.content.articles, result.files, {
        ...site,
        feedByteBudget: 4_000_000,
      }),
    ).toEqual([])
  })
})
