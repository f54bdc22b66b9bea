import { describe, expect, it } from 'vitest'
import { compileFixture, markdownArticle } from '../../support/fixtures.ts'

describe('article ids', () => {
  it('survive an edit of the title and the body', () => {
    const before = compileFixture({
      'news/harbour.md': markdownArticle(
        { title: 'Harbour reopens', date: '2024-03-01' },
        'First draft.',
      ),
    })
    const after = compileFixture({
      'news/harbour.md': markdownArticle(
        { title: 'Harbour reopens after storm', date: '2024-03-01' },
        'Rewritten.',
      ),
    })
    expect(after.articles[0]!.id).toBe(before.articles[0]!.id)
    expect(after.articles[0]!.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(after.version).not.toBe(before.version)
  })

  it('are the same on every build and differ between files', () => {
    const files = {
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01' }),
      'b.md': markdownArticle({ title: 'B', date: '2024-01-01' }),
    }
    const first = compileFixture(files)
    const second = compileFixture(files)
    expect(second).toEqual(first)
    expect(new Set(first.articles.map((article) => article.id)).size).toBe(2)
  })

  it('keep an explicit URI as it is, so ids from an earlier system survive a move', () => {
    const content = compileFixture({
      'a.md': markdownArticle({
        title: 'A',
        date: '2024-01-01',
        id: 'tag:example.com,2019:story-17',
      }),
      'b.md': markdownArticle({ title: 'B', date: '2024-01-01', id: 'legacy-42' }),
    })
    const idOf = (title: string) => content.articles.find((article) => article.title === title)!.id
    expect(idOf('A')).toBe('tag:example.com,2019:story-17')
    expect(idOf('B')).toMatch(/^urn:uuid:/)
  })
})
