import { describe, expect, it } from 'vitest'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { markdownArticle } from '../../support/fixtures.ts'

/** What an article had better say: warned about, never failed on. */

function compile(files: Record<string, string>) {
  const encoder = new TextEncoder()
  return compileContent(
    Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })),
  )
}

describe('warnings', () => {
  it('name a missing summary and an image without credit, and the article still publishes', () => {
    const result = compile({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01', image: '/a.jpg' }, 'Body.'),
      'b.md': markdownArticle(
        { title: 'B', date: '2024-01-01', summary: 'S.', image: '/b.jpg', image_credit: 'Ann' },
        'Body.',
      ),
    })
    expect(result.ok && result.content.articles.map((article) => article.title)).toEqual(['A', 'B'])
    expect(result.warnings.map(formatProblem)).toEqual([
      '[content] a.md:2: warning: summary: the article has no summary, so feeds show the start of its first paragraph. Add `summary: …` to the front matter with one or two sentences for feed readers',
      '[content] a.md:4: warning: image_credit: the image has no credit. Add `image_credit: …` naming who made the image and under what licence',
    ])
  })

  it('come with the errors when the build fails, but are never counted as errors', () => {
    const result = compile({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01' }, 'Body.'),
      'b.md': markdownArticle({ title: 'B', date: '2024-13-01', summary: 'S.' }, 'Body.'),
    })
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual(['date'])
    expect(result.warnings.map((problem) => problem.field)).toEqual(['summary'])
  })

  it('take a credit from the plain-text caption line as a credit', () => {
    const result = compile({
      'a.txt':
        '---\nimage: /a.jpg\nsummary: S.\n---\n# A\n\nMay 1, 2024\n\nA boat. **Ann (CC BY 2.0)**\n\nBody.\n',
    })
    expect(result.warnings).toEqual([])
  })
})
