import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../../scripts/lib/bench-corpus.ts'
import { readSeeds } from '../../../scripts/seeds-folder.ts'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { writeStaticAssets } from '../../../src/build/write-worker-content.ts'
import type { CompiledContent } from '../../../src/contract/compiled.ts'
import { readSiteConfig, type SiteEnv } from '../../../src/site/site-config.ts'
import { writeHostileCorpus } from '../../readers/hostile-corpus.ts'
import { SITE_ENV } from '../../support/app.ts'

/**
 * Packs, plain article pages and documents kept from one build to the next
 * (src/build/prerender/kept-assets.ts): a build after an edit leaves the files
 * the edit leaves alone where they are and makes the others, and its assets folder is byte
 * for byte what a build that makes every file writes. A file that is not the
 * one the last build wrote, a list for other settings or another folder, or
 * a list that is not one, keeps nothing.
 */

// The origin left to the worker (a placeholder in every document), and a title to escape.
const ENV: SiteEnv = {
  ...SITE_ENV,
  SITE_URL: '',
  SITE_TITLE: 'Example & <Times>',
  FEED_ITEM_LIMIT: '5',
  FEED_BYTE_BUDGET: '40000',
}
const NOW = Date.parse('2026-01-01T00:00:00Z')

let folder: string
let hostile: CompiledContent

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kept-assets-'))
  // The hostile articles, and enough ordinary ones for every scope to have archive packs.
  const seeds = join(folder, 'seeds')
  await writeHostileCorpus(join(seeds, 'hostile'))
  await writeCorpus(join(seeds, 'generated'), 400, 4)
  const result = compileContent(await readSeeds(seeds, []))
  if (!result.ok) throw new Error('the test corpus does not compile')
  hostile = result.content
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** Builds `content` into `out`/assets, with the build cache in `out`/cache unless `cached` is false. */
async function build(
  out: string,
  content: CompiledContent,
  options: { cached?: boolean; env?: SiteEnv; preview?: boolean } = {},
) {
  const summary = await writeStaticAssets(structuredClone(content), {
    assets: join(folder, out, 'assets'),
    site: readSiteConfig(options.env ?? ENV),
    now: NOW,
    ...(options.cached === false ? {} : { fragmentCache: join(folder, out, 'cache') }),
    ...(options.preview ? { preview: true } : {}),
  })
  return { ...summary, index: JSON.stringify(summary.index) }
}

/** Every file of an assets folder, by path. */
async function filesOf(out: string): Promise<Map<string, Buffer>> {
  const root = join(folder, out, 'assets')
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files.set(relative(root, path), await readFile(path))
  }
  return files
}

async function expectSameFolders(a: string, b: string) {
  const [left, right] = [await filesOf(a), await filesOf(b)]
  expect([...left.keys()].sort()).toEqual([...right.keys()].sort())
  const differing = [...left].filter(([path, bytes]) => !bytes.equals(right.get(path)!))
  expect(differing.map(([path]) => path)).toEqual([])
}

/**
 * Files a build can keep: archive, article and older topic page packs, plain
 * article pages, and documents (named by their ETag).
 */
async function keyedFiles(out: string): Promise<string[]> {
  return [...(await filesOf(out)).keys()].filter((path) =>
    /^(?:_packs\/archive|_packs\/articles|_packs\/topic|articles|_docs)\//.test(path),
  )
}

/**
 * The oldest article's text and summary corrected, and the newest one's
 * title: the first sits in the first closed archive page of its scopes, in
 * an article pack and (its summary) on the first older page of its topics,
 * the second in the subscription documents and a plain page.
 */
function edited(content: CompiledContent): CompiledContent {
  const articles = [...content.articles]
  const oldest = articles.at(-1)!
  articles[articles.length - 1] = {
    ...oldest,
    summary: `${oldest.summary} (corrected)`,
    contentHtml: `${oldest.contentHtml ?? ''}<p>Corrected.</p>`,
  }
  articles[0] = { ...articles[0]!, title: `${articles[0]!.title} (corrected)` }
  return { ...content, version: 'edited', articles }
}

describe('packs, article pages and documents kept between builds', { timeout: 300_000 }, () => {
  it('stay when an edit leaves them alone, and the folder is what making them all writes', async () => {
    const first = await build('kept', hostile)
    expect(first.keptFiles).toBe(0)
    const keyed = await keyedFiles('kept')
    expect(keyed.filter((path) => path.startsWith('_packs/archive/')).length).toBeGreaterThan(12)
    expect(keyed.filter((path) => path.startsWith('_packs/topic/')).length).toBeGreaterThan(0)
    // Nothing changed: every pack and plain page kept, and every feed scope whole.
    const again = await build('kept', hostile)
    expect(again.keptFiles).toBe(keyed.length)
    expect(first.keptScopes).toBe(0)
    expect(again.scopes).toBeGreaterThan(4)
    expect(again.keptScopes).toBe(again.scopes)
    expect(again.index).toBe(first.index)
    await build('clean', hostile, { cached: false })
    await expectSameFolders('kept', 'clean')
    // Two articles edited: the packs and the page that hold them are made again, the others kept.
    const next = edited(hostile)
    const afterEdit = await build('kept', next)
    expect(afterEdit.keptFiles).toBeGreaterThan(0)
    expect(afterEdit.keptFiles).toBeLessThan(keyed.length)
    // The scopes of the two articles (the site's, and their topics') made again, the others kept.
    expect(afterEdit.keptScopes).toBeGreaterThan(0)
    expect(afterEdit.keptScopes).toBeLessThan(afterEdit.scopes)
    const clean = await build('clean', next, { cached: false })
    expect(clean.keptFiles).toBe(0)
    expect(afterEdit.index).toBe(clean.index)
    expect(afterEdit.files).toBe(clean.files)
    expect(afterEdit.bytes).toBe(clean.bytes)
    expect(afterEdit.largestDocument).toBe(clean.largestDocument)
    await expectSameFolders('kept', 'clean')
  })

  it('keep no feed scope with a scheduled article, which has a view for each due time', async () => {
    const articles = [...hostile.articles]
    const newest = articles[0]!
    const topics = new Set(newest.topics.map((topic) => topic.slug))
    articles[0] = { ...newest, published: '2026-06-01T00:00:00Z' }
    const scheduled = { ...hostile, version: 'scheduled', articles }
    const first = await build('scheduled', scheduled)
    const again = await build('scheduled', scheduled)
    // The site's scope and the scheduled article's topics are made each time; the others kept.
    expect(again.keptScopes).toBe(again.scopes - 1 - topics.size)
    expect(again.index).toBe(first.index)
    await build('clean', scheduled, { cached: false })
    await expectSameFolders('scheduled', 'clean')
  })

  for (const preview of [true, false]) {
    it(`stay where they are, never linked, in a ${preview ? 'watched (preview)' : 'deployed'} folder, to the same folder`, async () => {
      const out = `in-place-${preview}`
      await build(out, hostile, { preview })
      const keyed = await keyedFiles(out)
      const inode = async (path: string) => (await stat(join(folder, out, 'assets', path))).ino
      const before = new Map(
        await Promise.all(keyed.map(async (path) => [path, await inode(path)] as const)),
      )
      const next = edited(hostile)
      const afterEdit = await build(out, next, { preview })
      expect(afterEdit.keptFiles).toBeGreaterThan(0)
      const clean = await build('clean', next, { cached: false, preview })
      expect(JSON.parse(clean.index).preview).toBe(preview)
      expect(afterEdit.index).toBe(clean.index)
      expect(afterEdit.files).toBe(clean.files)
      expect(afterEdit.bytes).toBe(clean.bytes)
      await expectSameFolders(out, 'clean')
      // The kept files are the very files of the last build, never linked (a watcher would see that).
      let untouched = 0
      for (const [path, ino] of before) {
        if ((await inode(path).catch(() => undefined)) !== ino) continue
        untouched++
        expect((await stat(join(folder, out, 'assets', path))).nlink, path).toBe(1)
      }
      expect(untouched).toBe(afterEdit.keptFiles)
      expect((await readdir(join(folder, out))).sort()).toEqual(['assets', 'cache'])
    })
  }

  it('are made again when the file is not the one the last build wrote', async () => {
    await build('tampered', hostile)
    // A closed archive pack: its scope needs it.
    const pack = (await keyedFiles('tampered')).find((path) => path.startsWith('_packs/archive/'))
    const path = join(folder, 'tampered', 'assets', pack!)
    const bytes = await readFile(path)
    // The same size, other bytes: only the file's time tells.
    bytes.fill(0x41, bytes.length - 16)
    await writeFile(path, bytes)
    const rebuilt = await build('tampered', hostile)
    expect(rebuilt.keptFiles).toBe((await keyedFiles('tampered')).length - 1)
    // A scope that needs the file is made again; the others are kept whole.
    expect(rebuilt.keptScopes).toBeLessThan(rebuilt.scopes)
    expect(rebuilt.keptScopes).toBeGreaterThan(0)
    await build('clean', hostile, { cached: false })
    await expectSameFolders('tampered', 'clean')
  })

  it('keep no feed scope whose remembered part of the index was edited', async () => {
    await build('edited-scope', hostile)
    const cache = join(folder, 'edited-scope', 'cache')
    const name = (await readdir(cache, { recursive: true })).find((path) =>
      path.endsWith('assets.json'),
    )!
    const list = JSON.parse(await readFile(join(cache, name), 'utf8'))
    // The site's feed as the worker would serve it: one item less, the digest left as it was.
    list.scopes.site.value[0].value.items.pop()
    await writeFile(join(cache, name), JSON.stringify(list))
    const rebuilt = await build('edited-scope', hostile)
    expect(rebuilt.keptScopes).toBe(rebuilt.scopes - 1)
    const clean = await build('clean', hostile, { cached: false })
    expect(rebuilt.index).toBe(clean.index)
    await expectSameFolders('edited-scope', 'clean')
  })

  it('are not kept under other settings, nor from a list that is not one', async () => {
    await build('settings', hostile)
    const other = { ...ENV, SITE_TITLE: 'Another Title' }
    expect((await build('settings', hostile, { env: other })).keptFiles).toBe(0)
    await build('clean', hostile, { cached: false, env: other })
    await expectSameFolders('settings', 'clean')
    const cache = join(folder, 'settings', 'cache')
    const list = (await readdir(cache, { recursive: true })).find((name) =>
      name.endsWith('assets.json'),
    )
    expect(list).toBeDefined()
    await writeFile(join(cache, list!), '{"format":1,"files":')
    expect((await build('settings', hostile, { env: other })).keptFiles).toBe(0)
    expect((await stat(join(cache, list!))).size).toBeGreaterThan(100)
  })
})
