import { describe, expect, it } from 'vitest'
import { parseArticle } from '../../../src/build/content/parse-article.ts'
import { formatProblem } from '../../../src/contract/problem.ts'

/** YAML mistakes authors make, reported in plain words with the fix, naming the file and line. */

const encoder = new TextEncoder()

function problemsOf(frontMatter: string): string[] {
  const text = `---\ntitle: Harbour\ndate: 2024-10-22\n${frontMatter}\n---\nBody.\n`
  return parseArticle('news/a.md', encoder.encode(text)).problems.map(formatProblem)
}

describe('YAML errors in the front matter', () => {
  it('asks to quote a value holding ": " (the one from the issue)', () => {
    expect(problemsOf('summary: Ferries & "fleets": the harbour reopens')).toEqual([
      '[content] news/a.md:4: front matter: the value of `summary` is not quoted and holds ": ", which YAML reads as the start of another field. Quote the value: `summary: "Ferries & \\"fleets\\": the harbour reopens"`',
    ])
  })

  it('asks to quote a value that starts with a YAML indicator', () => {
    expect(problemsOf('summary: *Ferries* return')).toEqual([
      '[content] news/a.md:4: front matter: the value of `summary` is not quoted and holds "*" at its start, which YAML reads as syntax. Quote the value: `summary: "*Ferries* return"`',
    ])
    expect(problemsOf('summary: "Ferries" return')[0]).toContain(
      'Quote the value: `summary: "\\"Ferries\\" return"`',
    )
  })

  it('points at a quote left open, not at the line where the parser gave up', () => {
    expect(problemsOf('summary: "Ferries return\nauthor: Ana')).toEqual([
      expect.stringMatching(
        /^\[content\] news\/a\.md:\d: front matter: the value of `summary` opens a double quote and does not close it\. Close it at the end of the value, like `summary: "Ferries return"`$/,
      ),
    ])
  })

  it('names a field given twice', () => {
    expect(problemsOf('title: Again')).toEqual([
      '[content] news/a.md:4: front matter: `title` is given twice. Keep one of the two `title:` lines',
    ])
  })
})
