import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readSeeds } from '../../../scripts/seeds-folder.ts'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { FragmentFile } from '../../../src/build/prerender/fragment-file.ts'
import { prerenderSite } from '../../../src/build/prerender/prerender-site.ts'
import { renderFragments } from '../../../src/build/prerender/render-fragments.ts'
import type { CompiledContent } from '../../../src/contract/compiled.ts'
import { readSiteConfig, type SiteEnv } from '../../../src/site/site-config.ts'
import { writeHostileCorpus } from '../../readers/hostile-corpus.ts'

/**
 * Item fragments rendered on worker threads before the prerender (src/build/
 * prerender/render-fragments.ts) and kept from one build to the next
 * (fragment-file.ts): a build that takes them gives byte for byte what a
 * build that renders every item on its own thread gives, after an edit, an
 * addition and a deletion; a damaged, edited or foreign entry is rendered
 * again, never used.
 */

const ENV: SiteEnv = {
  SITE_URL: '',
  SITE_TITLE: 'Example & <Times>',
  SITE_DESCRIPTION: 'Stories from the "example" coast.',
  SITE_AUTHOR: 'Example Times Desk',
  SITE_LANGUAGE: 'en-GB',
  FEED_ITEM_LIMIT: '7',
  FEED_BYTE_BUDGET: '60000',
}
const NOW = Date.parse('2026-01-01T00:00:00Z')
const SETTINGS = 'settings-1'

let folder: string
let cache: string
let hostile: CompiledContent

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kept-fragments-'))
  cache = join(folder, 'fragments')
  if (!hostile) {
    const seeds = join(folder, 'seeds')
    await writeHostileCorpus(seeds)
    const result = compileContent(await readSeeds(seeds, []))
    if (!result.ok) throw new Error('the hostile corpus does not compile')
    hostile = result.content
  }
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function build(content: CompiledContent, settings?: string, env: SiteEnv = ENV) {
  const files = new Map<string, Uint8Array>()
  const { index } = prerenderSite(content, {
    site: readSiteConfig(env),
    now: NOW,
    sink: (path, bytes) => files.set(path, bytes),
    plainArticles: 20,
    pagesPerPack: 2,
    ...(settings ? { fragments: new FragmentFile({ folder: cache, settings }) } : {}),
  })
  return { index: JSON.stringify(index), files }
}

function expectSame(a: ReturnType<typeof build>, b: ReturnType<typeof build>) {
  expect([...a.files.keys()].sort()).toEqual([...b.files.keys()].sort())
  const differing = [...a.files].filter(
    ([path, bytes]) => !Buffer.from(bytes).equals(Buffer.from(b.files.get(path)!)),
  )
  expect(differing.map(([path]) => path)).toEqual([])
  expect(a.index).toBe(b.index)
}

/** The kept index (its file: a hash of the rest, a newline, the index as JSON). */
async function readKeptIndex() {
  const text = await readFile(join(cache, 'index'), 'utf8')
  return JSON.parse(text.slice(text.indexOf('\n') + 1))
}

/** The kept data file's size: it grows only by fragments a build rendered. */
async function dataBytes(): Promise<number> {
  const names = (await readdir(cache)).filter((name) => name.endsWith('.bin'))
  expect(names).toHaveLength(1)
  return (await stat(join(cache, names[0]!))).size
}

function edited(content: CompiledContent): CompiledContent {
  const [first, second, ...rest] = content.articles
  const changed = { ...second!, title: `${second!.title} (corrected)` }
  const added = { ...first!, id: 'urn:uuid:7d1c5b2e-0000-4000-8000-000000000001', slug: 'added' }
  // The last article deleted, one edited, one added.
  return { ...content, version: 'edited', articles: [added, first!, changed, ...rest.slice(0, -1)] }
}

describe('item fragments rendered on worker threads', { timeout: 300_000 }, () => {
  it('are the bytes the prerender renders on its own thread, and let it release the HTML', async () => {
    const site = readSiteConfig(ENV)
    const file = new FragmentFile({ folder: cache, settings: SETTINGS })
    // The build's path: threads first, then a prerender that spends its copy of the content.
    const spent = structuredClone(hostile)
    await renderFragments(spent, site, file, 2)
    const files = new Map<string, Uint8Array>()
    const { index } = prerenderSite(spent, {
      site,
      now: NOW,
      sink: (path, bytes) => files.set(path, bytes),
      plainArticles: 20,
      pagesPerPack: 2,
      fragments: file,
      releaseContent: true,
    })
    expect(spent.articles.every((article) => (article.contentHtml ?? '').length <= 7)).toBe(true)
    expectSame({ index: JSON.stringify(index), files }, build(hostile))
    // Every article's fragments came from the threads: the prerender had nothing left to render.
    const entries = (await readKeptIndex()).entries
    expect(Object.keys(entries)).toHaveLength(hostile.articles.length)
  })
})

describe('item fragments kept between builds', { timeout: 300_000 }, () => {
  it('give the same bytes as rendering every item, before and after an edit, an addition and a deletion', async () => {
    const reference = build(hostile)
    expectSame(build(hostile, SETTINGS), reference)
    const size = await dataBytes()
    // Nothing changed: every fragment taken, nothing rendered, nothing appended.
    expectSame(build(hostile, SETTINGS), reference)
    expect(await dataBytes()).toBe(size)
    const next = edited(hostile)
    expectSame(build(next, SETTINGS), build(next))
    const grown = (await dataBytes()) - size
    // Two articles' fragments rendered: the edited one and the added one, nothing else.
    expect(grown).toBeGreaterThan(0)
    expect(grown).toBeLessThan(size / 10)
  })

  it('are rendered again when an entry is damaged, never used', async () => {
    const reference = build(hostile)
    build(hostile, SETTINGS)
    const dataFile = async () =>
      join(cache, (await readdir(cache)).find((name) => name.endsWith('.bin'))!)
    const data = await dataFile()
    // Overwrite bytes in the middle of the file: some article's fragment now says something else.
    const bytes = await readFile(data)
    bytes.fill(0x41, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64)
    await writeFile(data, bytes)
    expectSame(build(hostile, SETTINGS), reference)
    // The same, with the modification time put back: the change time still tells.
    const before = await stat(data)
    const again = await readFile(data)
    again.fill(0x42, Math.floor(again.length / 3), Math.floor(again.length / 3) + 64)
    await writeFile(data, again)
    await utimes(data, before.atime, before.mtime)
    expectSame(build(hostile, SETTINGS), reference)
    // An index edited to point an article's key at another article's bytes: not used at all.
    const text = await readFile(join(cache, 'index'), 'utf8')
    const index = await readKeptIndex()
    const keys = Object.keys(index.entries)
    const [a, b] = [keys[3]!, keys[7]!]
    index.entries[a] = [index.entries[b][0], ...index.entries[a].slice(1)]
    await writeFile(
      join(cache, 'index'),
      `${text.slice(0, text.indexOf('\n'))}\n${JSON.stringify(index)}`,
    )
    expectSame(build(hostile, SETTINGS), reference)
    // A cut file: everything past the middle is gone.
    const kept = await dataFile()
    const whole = await readFile(kept)
    await writeFile(kept, whole.subarray(0, Math.floor(whole.length / 2)))
    expectSame(build(hostile, SETTINGS), reference)
    // An index that is not one.
    await writeFile(join(cache, 'index'), '{"format":"fragments 2","entries":')
    expectSame(build(hostile, SETTINGS), reference)
  })

  it('are not taken under other settings', async () => {
    build(hostile, SETTINGS)
    const other = { ...ENV, SITE_URL: 'https://other.example' }
    // The caller hashes the settings; a different hash finds nothing, and starts a new file.
    expectSame(build(hostile, 'settings-2', other), build(hostile, undefined, other))
    expect((await readdir(cache)).filter((name) => name.endsWith('.bin'))).toHaveLength(1)
  })

  it('belong to one build at a time: another build meanwhile renders its own', async () => {
    const holder = new FragmentFile({ folder: cache, settings: SETTINGS })
    try {
      expectSame(build(hostile, SETTINGS), build(hostile))
      expect(await readFile(join(cache, 'lock'), 'utf8')).toBe(String(process.pid))
    } finally {
      holder.close()
    }
    await expect(stat(join(cache, 'lock'))).rejects.toThrow()
    // The held file was empty, and the scratch build kept nothing.
    expect((await readKeptIndex()).entries).toEqual({})
  })

  it('are kept again after a build that stopped left its lock behind', async () => {
    const reference = build(hostile)
    // A process number no running process has.
    await mkdir(cache, { recursive: true })
    await writeFile(join(cache, 'lock'), '2147483646')
    expectSame(build(hostile, SETTINGS), reference)
    expect(Object.keys((await readKeptIndex()).entries)).toHaveLength(hostile.articles.length)
    // A running process's number, on a lock older than any build: the number was reused.
    await writeFile(join(cache, 'lock'), String(process.pid))
    const old = new Date(Date.now() - 7 * 60 * 60 * 1000)
    await utimes(join(cache, 'lock'), old, old)
    const size = await dataBytes()
    expectSame(build(hostile, SETTINGS), reference)
    expect(await dataBytes()).toBe(size)
    await expect(stat(join(cache, 'lock'))).rejects.toThrow()
  })

  it('are written afresh, with only those in use, once the file is mostly unused', async () => {
    // A small first build, then a corpus that shares nothing with it, many times over.
    const small = { ...hostile, articles: hostile.articles.slice(0, 5) }
    build(small, SETTINGS)
    const first = await readdir(cache)
    let content = hostile
    for (let round = 0; round < 3; round++) {
      content = {
        ...content,
        version: `round-${round}`,
        articles: content.articles.map((article) => ({
          ...article,
          summary: `${article.summary} ${round}`,
        })),
      }
      expectSame(build(content, SETTINGS), build(content))
    }
    const names = (await readdir(cache)).filter((name) => name.endsWith('.bin'))
    expect(names).toHaveLength(1)
    expect(first).not.toContain(names[0])
    const index = await readKeptIndex()
    expect(Object.keys(index.entries)).toHaveLength(content.articles.length)
    expectSame(build(content, SETTINGS), build(content))
  })
})
