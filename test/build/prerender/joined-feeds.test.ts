import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../../../scripts/generate-corpus.ts'
import { readSeeds } from '../../../scripts/seeds-folder.ts'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { prerenderSite } from '../../../src/build/prerender/prerender-site.ts'
import type { CompiledContent } from '../../../src/contract/compiled.ts'
import { readSiteConfig, type SiteEnv } from '../../../src/site/site-config.ts'
import { writeHostileCorpus } from '../../readers/hostile-corpus.ts'
import { compileFixture } from '../../support/fixtures.ts'

/**
 * Feed documents are joined from item fragments rendered once per article
 * (src/build/prerender/feed-scope.ts), and the articles' HTML is let go once
 * the items are made. Proof that this changes no byte: the whole build's
 * assets and index equal those of the reference path, which keeps the HTML
 * and renders every feed document whole through the `feed` package.
 */

const ENV: SiteEnv = {
  SITE_URL: 'https://news.example.com',
  SITE_TITLE: 'Example & <Times>',
  SITE_DESCRIPTION: 'Stories from the "example" coast.',
  SITE_AUTHOR: 'Example Times Desk',
  SITE_LANGUAGE: 'en-GB',
}

function build(content: CompiledContent, env: SiteEnv, now: number, wholeDocuments: boolean) {
  const files = new Map<string, Uint8Array>()
  const { index } = prerenderSite(wholeDocuments ? content : structuredClone(content), {
    site: readSiteConfig(env),
    now,
    sink: (path, bytes) => files.set(path, bytes),
    plainArticles: 20,
    pagesPerPack: 2,
    // As the build does: joined documents need no article's HTML once its items are made.
    ...(wholeDocuments ? { wholeDocuments } : { releaseContent: true }),
  })
  return { index: JSON.stringify(index), files }
}

/** Builds both ways and compares every asset byte for byte, and the index. */
function expectSameBuild(content: CompiledContent, env: SiteEnv, now: number) {
  const joined = build(content, env, now, false)
  const whole = build(content, env, now, true)
  expect([...joined.files.keys()].sort()).toEqual([...whole.files.keys()].sort())
  const differing = [...whole.files].filter(
    ([path, bytes]) => !Buffer.from(bytes).equals(Buffer.from(joined.files.get(path)!)),
  )
  expect(differing.map(([path]) => path)).toEqual([])
  expect(joined.index).toEqual(whole.index)
  return { index: JSON.parse(joined.index), files: joined.files.size }
}

const SLOW = { timeout: 600_000 }

describe('feed documents joined from item fragments', () => {
  it('are byte-identical to whole renders over the hostile corpus', SLOW, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'joined-feeds-'))
    try {
      await writeHostileCorpus(folder)
      const result = compileContent(await readSeeds(folder, []))
      if (!result.ok) throw new Error('the hostile corpus does not compile')
      const content = result.content
      expect(content.articles.length).toBeGreaterThan(50)
      // Small documents, so the corpus spreads over archive pages and the budget decides; no
      // SITE_URL, so documents carry the placeholder origin.
      const { index } = expectSameBuild(
        content,
        { ...ENV, SITE_URL: '', FEED_ITEM_LIMIT: '7', FEED_BYTE_BUDGET: '60000' },
        Date.now(),
      )
      expect(index.siteFeed[0].value.archivePages).toBeGreaterThan(0)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it(
    'are byte-identical to whole renders over a generated archive with scheduled articles',
    SLOW,
    () => {
      const content = compileFixture(
        Object.fromEntries(generateCorpus({ articles: 300, topics: 6, seed: 11, future: 5 })),
      )
      const { index } = expectSameBuild(
        content,
        { ...ENV, FEED_ITEM_LIMIT: '20', FEED_BYTE_BUDGET: '150000' },
        Date.now(),
      )
      // Scheduled views, closed archive pages in packs and topic archives were all compared.
      expect(index.dueTimes.length).toBeGreaterThan(1)
      expect(index.siteFeed.length).toBeGreaterThan(1)
      expect(index.siteFeed.at(-1).value.archivePages).toBeGreaterThan(2)
      expect(
        index.topics.some(
          (topic: { states: { value: { archivePages: number } | null }[] }) =>
            (topic.states.at(-1)?.value?.archivePages ?? 0) > 2,
        ),
      ).toBe(true)
    },
  )

  it('are byte-identical to whole renders when a scope has no articles', () => {
    const content = compileFixture({})
    expectSameBuild(content, ENV, Date.now())
  })
})
