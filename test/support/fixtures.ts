import { compileContent } from '../../src/build/content/compile-content.ts'
import type { CompiledContent } from '../../src/contract/compiled.ts'
import { formatProblem } from '../../src/contract/problem.ts'

/** Front matter plus body, as an author would write the file. */
export function markdownArticle(fields: Record<string, unknown>, body = 'Body text.'): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
  return `---\n${lines.join('\n')}\n---\n${body}\n`
}

/** Compiles a set of files (path to text or bytes) and fails the test on any problem. */
export function compileFixture(files: Record<string, string | Uint8Array>): CompiledContent {
  const encoder = new TextEncoder()
  const result = compileContent(
    Object.entries(files).map(([path, content]) => ({
      path,
      bytes: typeof content === 'string' ? encoder.encode(content) : content,
    })),
  )
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.content
}

/** Problems of a set of files, formatted as the build prints them. */
export function problemsOf(files: Record<string, string | Uint8Array>): string[] {
  const encoder = new TextEncoder()
  const result = compileContent(
    Object.entries(files).map(([path, content]) => ({
      path,
      bytes: typeof content === 'string' ? encoder.encode(content) : content,
    })),
  )
  return result.ok ? [] : result.problems.map(formatProblem)
}

/** A small site: two topics, an update, an image, a source URL, a draft and a future article. */
export const NEWSROOM = {
  'harbour.md': markdownArticle(
    {
      title: 'Harbour reopens',
      date: '2024-03-01T08:00:00Z',
      updated: '2024-03-02T10:30:00Z',
      topics: ['Shipping', 'Economy'],
      author: 'Ana Lima',
      summary: 'The harbour is open again.',
      image: '/images/harbour.jpg',
      image_caption: 'Cranes at dawn',
      image_credit: 'Port Authority',
      source_url: 'https://news.example.org/harbour?id=1&lang=en',
      source_name: 'Example News',
    },
    'Ships are [back](/articles/older/) and [the port](https://port.example/) is busy.',
  ),
  'budget.md': markdownArticle(
    {
      title: 'Budget passes',
      date: '2024-02-15',
      topics: ['Economy'],
      authors: ['Bo Chen', 'Cy Diaz'],
    },
    'The budget passed.',
  ),
  'older.md': markdownArticle(
    { title: 'An older story', date: '2023-12-24', topics: ['Shipping'] },
    'Old news.',
  ),
  'draft.md': markdownArticle(
    { title: 'Secret draft', date: '2024-01-01', topics: ['Economy'], draft: true },
    'Not yet.',
  ),
  'future.md': markdownArticle(
    { title: 'Tomorrow’s news', date: '2030-01-01T06:00:00Z', topics: ['Economy', 'Future'] },
    'From the future.',
  ),
}

/** A moment after every NEWSROOM article but the future one. */
export const NOW = Date.parse('2025-06-01T12:00:00Z')
