import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../../scripts/generate-corpus.ts'
import { compileContent } from '../../src/build/content/compile-content.ts'
import { runScript, SLOW } from '../support/scripts.ts'

const encoder = new TextEncoder()

function compile(files: Map<string, string>) {
  return compileContent([...files].map(([path, text]) => ({ path, bytes: encoder.encode(text) })))
}

describe('the synthetic corpus', () => {
  it('is the same, byte for byte, for the same seed, and different for another', () => {
    const first = generateCorpus({ articles: 30, topics: 8, seed: 7 })
    expect(generateCorpus({ articles: 30, topics: 8, seed: 7 })).toEqual(first)
    expect(generateCorpus({ articles: 30, topics: 8, seed: 8 })).not.toEqual(first)
  })

  it('compiles without a problem into articles of 600 to 1,500 words with 1 to 4 topics', () => {
    const result = compile(generateCorpus({ articles: 60, topics: 12, seed: 3 }))
    if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'))
    expect(result.content.articles).toHaveLength(60)
    const topics = new Set<string>()
    const years = new Set<number>()
    for (const article of result.content.articles) {
      const words = (article.contentHtml ?? '')
        .replace(/<[^>]+>/g, ' ')
        .split(/\s+/)
        .filter(Boolean)
      expect(words.length).toBeGreaterThanOrEqual(600)
      expect(words.length).toBeLessThanOrEqual(1700)
      expect(article.topics.length).toBeGreaterThanOrEqual(1)
      expect(article.topics.length).toBeLessThanOrEqual(4)
      for (const topic of article.topics) topics.add(topic.slug)
      years.add(new Date(article.published).getUTCFullYear())
    }
    expect(topics.size).toBeGreaterThan(8)
    expect(years.size).toBeGreaterThanOrEqual(4)
    expect(result.content.articles.some((article) => article.contentHtml?.includes('<ul>'))).toBe(
      true,
    )
    expect(result.content.articles.some((article) => article.image)).toBe(true)
  })

  it('dates the requested number of articles after now, for scheduled publishing', () => {
    const result = compile(generateCorpus({ articles: 20, topics: 4, future: 3 }))
    if (!result.ok) throw new Error('the corpus did not compile')
    const now = Date.now()
    expect(
      result.content.articles.filter((article) => Date.parse(article.published) > now),
    ).toHaveLength(3)
  })
})

describe('the synthetic corpus with its pictures (--pictures)', SLOW, () => {
  it('holds a picture readers show for each JPEG, PNG and WebP file its articles name', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'corpus-pictures-'))
    try {
      const out = join(folder, 'corpus')
      const run = await runScript('generate-corpus.ts', [
        '--articles',
        '40',
        '--topics',
        '6',
        '--pictures',
        '--out',
        out,
      ])
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/with \d+ pictures \(\d+ MiB\)/)
      const paths = (await readdir(out, { recursive: true })).filter(
        (path) => !path.startsWith('.'),
      )
      const files = await Promise.all(
        paths
          .filter((path) => path.includes('.'))
          .map(async (path) => ({ path, bytes: new Uint8Array(await readFile(join(out, path))) })),
      )
      const result = compileContent(files)
      if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'))
      const pictures = paths.filter((path) => path.startsWith('images/') && path.includes('.'))
      expect(pictures.length).toBeGreaterThan(20)
      expect(pictures.some((path) => path.endsWith('.avif'))).toBe(false)
      // Every picture is published, measured; every lead picture of a published type is sized.
      expect([...result.media.keys()].sort()).toEqual(pictures.sort())
      for (const [path, facts] of result.media)
        expect([facts.width, facts.height], path).toEqual(
          path.endsWith('.png') ? [600, 400] : [1200, 800],
        )
      const leads = result.content.articles.filter((article) => article.image?.width)
      expect(leads.length).toBeGreaterThan(10)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
