import { describe, expect, it } from 'vitest'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import {
  formatLock,
  type PublishedLock,
  parseLock,
  updateLock,
} from '../../../src/build/content/published-lock.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { markdownArticle, problemsOf } from '../../support/fixtures.ts'

function compile(files: Record<string, string>) {
  const encoder = new TextEncoder()
  const result = compileContent(
    Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })),
  )
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result
}

/** Builds the files against a lock, as the build does: the new lock, or the problems as printed. */
function build(lock: PublishedLock, files: Record<string, string>) {
  const result = compile(files)
  const checked = updateLock(lock, result.content, result.files, {
    lockFile: 'seeds/published.lock.json',
  })
  return checked.ok
    ? { lock: checked.lock, problems: [] }
    : { lock, problems: checked.problems.map(formatProblem) }
}

const EMPTY: PublishedLock = { published: [], retired: [] }
const FIRST = {
  'news/harbour.md': markdownArticle({ title: 'Harbour reopens', date: '2024-03-01' }),
  'news/budget.md': markdownArticle({ title: 'Budget passes', date: '2024-02-15' }),
}

describe('the published-article lock', () => {
  it('records every article, adds new ones by itself, and is stable between builds', () => {
    const first = build(EMPTY, FIRST)
    expect(first.problems).toEqual([])
    expect(first.lock.published.map((entry) => entry.url).sort()).toEqual([
      '/articles/budget-passes/',
      '/articles/harbour-reopens/',
    ])
    const again = build(first.lock, FIRST)
    expect(formatLock(again.lock)).toBe(formatLock(first.lock))
    const grown = build(first.lock, {
      ...FIRST,
      'news/storm.md': markdownArticle({ title: 'Storm', date: '2024-03-02' }),
    })
    expect(grown.problems).toEqual([])
    expect(grown.lock.published).toHaveLength(3)
    expect(parseLock(formatLock(grown.lock))).toEqual({
      published: [...grown.lock.published].sort((a, b) => (a.url < b.url ? -1 : 1)),
      retired: [],
    })
  })

  it('fails, naming the article, when its id would change, and says how to keep it', () => {
    const { lock } = build(EMPTY, FIRST)
    const oldId = lock.published.find((entry) => entry.url === '/articles/harbour-reopens/')!.id
    // Renaming the file changes the id made from its path.
    const { 'news/harbour.md': harbour, ...rest } = FIRST
    const renamed = build(lock, { ...rest, 'archive/harbour.md': harbour! })
    expect(renamed.problems).toEqual([
      `[content] archive/harbour.md: id: its published id ${oldId} would change to ${compile({ 'archive/harbour.md': harbour! }).content.articles[0]!.id}, and readers would get it again as a new item. Keep the id with \`id: ${oldId}\` in its front matter`,
    ])
    const fixed = build(lock, {
      ...rest,
      'archive/harbour.md': markdownArticle({
        title: 'Harbour reopens',
        date: '2024-03-01',
        id: oldId,
      }),
    })
    expect(fixed.problems).toEqual([])
  })

  it('fails when a published article is deleted, and says how to retire or redirect it', () => {
    const { lock } = build(EMPTY, FIRST)
    const budget = lock.published.find((entry) => entry.url === '/articles/budget-passes/')!
    const deleted = build(lock, { 'news/harbour.md': FIRST['news/harbour.md'] })
    expect(deleted.problems).toEqual([
      `[content] news/budget.md: file: the published article /articles/budget-passes/ (id ${budget.id}) is gone. Restore the file; or, if it moved, give the article \`id: ${budget.id}\` and \`redirect_from: [/articles/budget-passes/]\`; or withdraw it for good by moving its entry from "published" to "retired" in seeds/published.lock.json`,
    ])
    const retiredLock: PublishedLock = {
      published: lock.published.filter((entry) => entry !== budget),
      retired: [{ id: budget.id, url: budget.url, note: 'Withdrawn: legal request' }],
    }
    const retired = build(retiredLock, { 'news/harbour.md': FIRST['news/harbour.md'] })
    expect(retired.problems).toEqual([])
    expect(retired.lock.retired).toEqual(retiredLock.retired)
    expect(retired.lock.published.map((entry) => entry.url)).toEqual(['/articles/harbour-reopens/'])
  })

  it('fails when a URL would change, and accepts the move with redirect_from', () => {
    const { lock } = build(EMPTY, FIRST)
    const retitled = {
      ...FIRST,
      'news/harbour.md': markdownArticle({ title: 'Harbour reopens at last', date: '2024-03-01' }),
    }
    expect(build(lock, retitled).problems).toEqual([
      '[content] news/harbour.md: slug: its published URL /articles/harbour-reopens/ would change to /articles/harbour-reopens-at-last/, breaking every link to it. Keep it with `slug: harbour-reopens`, or move it with `redirect_from: [/articles/harbour-reopens/]` (the old URL then answers 301)',
    ])
    const moved = build(lock, {
      ...FIRST,
      'news/harbour.md': markdownArticle({
        title: 'Harbour reopens at last',
        date: '2024-03-01',
        redirect_from: ['/articles/harbour-reopens/'],
      }),
    })
    expect(moved.problems).toEqual([])
    expect(moved.lock.published.map((entry) => entry.url)).toContain(
      '/articles/harbour-reopens-at-last/',
    )
  })

  it('refuses an old URL that is another article’s URL, and one that is not an article URL', () => {
    expect(
      problemsOf({
        ...FIRST,
        'news/harbour.md': markdownArticle({
          title: 'Harbour reopens',
          date: '2024-03-01',
          redirect_from: ['/topics/x/'],
        }),
      }),
    ).toEqual([
      '[content] news/harbour.md:4: redirect_from: "/topics/x/" is not an article URL. List the old URLs as they were published, like [/articles/old-name/]',
    ])
    expect(
      problemsOf({
        ...FIRST,
        'news/harbour.md': markdownArticle({
          title: 'Harbour reopens',
          date: '2024-03-01',
          redirect_from: ['/articles/budget-passes/'],
        }),
      }),
    ).toEqual([
      '[content] news/harbour.md:4: redirect_from: /articles/budget-passes/ is already the URL of news/budget.md. An old URL can lead to one article only; remove it from one of the two',
    ])
  })

  it('reports a lock file that is not one', () => {
    expect(parseLock('{"published": 3}')).toMatchObject({ field: 'lock' })
    expect(parseLock('not json')).toMatchObject({ field: 'lock' })
  })
})
