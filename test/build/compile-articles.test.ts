import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkSeeds, readSeeds } from '../../scripts/seeds-folder.ts'
import { codeOf, compileCode } from '../../src/build/compile-code-version.ts'
import { compileContent } from '../../src/build/content/compile-content.ts'
import { RACY_MS } from '../../src/build/file-stamp.ts'
import { writeHostileCorpus } from '../readers/hostile-corpus.ts'
import { markdownArticle } from '../support/fixtures.ts'
import { runScript, SLOW } from '../support/scripts.ts'

/**
 * The content build's per-file phase on worker threads and from its cache
 * gives exactly what one thread compiling every file gives; a warm build sees
 * every change; a damaged cache entry is compiled again, never used.
 */

let folder: string
let seeds: string
let cache: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'compile-articles-'))
  seeds = join(folder, 'seeds')
  cache = join(folder, 'cache')
  await mkdir(seeds, { recursive: true })
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** What one thread, no cache, makes of the folder as it is now: the reference. */
async function reference(): Promise<string> {
  return JSON.stringify(compileContent(await readSeeds(seeds, [])))
}

async function build(options: { threads?: number; cache?: string } = {}) {
  const check = await checkSeeds(seeds, 'seeds', {
    lockPath: join(folder, 'lock.json'),
    ...options,
  })
  return { json: JSON.stringify(check.result), stats: check.stats }
}

/** Every file under a folder, path to bytes. */
async function filesOf(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    // The record of what the build read (src/build/input-stamp.ts) is the build's own
    // bookkeeping, with the paths and file times of the folders it read: not its output.
    if (!entry.isFile() || entry.name === 'content.inputs.json') continue
    const path = join(entry.parentPath, entry.name)
    files.set(relative(root, path), (await readFile(path)).toString('base64'))
  }
  return files
}

/** A cached file's entry, as the cache's manifest places it: its segment file, offset and size. */
interface CachedEntry {
  file: string
  segment: string
  offset: number
  size: number
}

/** The entries the manifest names, by file name. */
async function cacheEntries(): Promise<CachedEntry[]> {
  const listed = await readdir(cache, { recursive: true, withFileTypes: true })
  const manifest = listed.find((entry) => entry.name === 'manifest.json')!
  const { files } = JSON.parse(await readFile(join(manifest.parentPath, manifest.name), 'utf8'))
  const segments = join(manifest.parentPath, 'segments')
  return Object.entries(files as Record<string, { entry: Omit<CachedEntry, 'file'> }>)
    .map(([file, { entry }]) => ({ file, ...entry, segment: join(segments, entry.segment) }))
    .sort((a, b) => a.file.localeCompare(b.file))
}

/** The bytes of every segment file, by path. */
async function segmentFiles(): Promise<Map<string, number>> {
  const listed = await readdir(cache, { recursive: true, withFileTypes: true })
  const sizes = new Map<string, number>()
  for (const entry of listed.filter((entry) => entry.name.endsWith('.seg'))) {
    const path = join(entry.parentPath, entry.name)
    sizes.set(path, (await stat(path)).size)
  }
  return sizes
}

async function readEntry(entry: CachedEntry): Promise<Buffer> {
  return (await readFile(entry.segment)).subarray(entry.offset, entry.offset + entry.size)
}

/** Writes bytes over an entry's, where it is. */
async function writeEntry(entry: CachedEntry, bytes: Uint8Array): Promise<void> {
  const segment = await readFile(entry.segment)
  segment.set(bytes, entry.offset)
  await writeFile(entry.segment, segment)
}

describe('compiling on threads and from the cache', () => {
  it('gives the single-threaded result for the hostile corpus, cold and warm', async () => {
    const { articles } = await writeHostileCorpus(seeds)
    // A bad article and a draft too: problems and warnings must come out the same, in order.
    await writeFile(join(seeds, 'broken.md'), '---\ntitle: Broken\ndate: 2024-02-30\n---\nBody')
    await writeFile(
      join(seeds, 'draft.md'),
      markdownArticle({ title: 'D', date: '2024-01-01', draft: true }),
    )
    const expected = await reference()

    const parallel = await build({ threads: 2 })
    expect(parallel.stats).toMatchObject({ compiled: articles + 2, threads: 2 })
    expect(parallel.json).toBe(expected)

    const cold = await build({ threads: 2, cache })
    expect(cold.stats).toMatchObject({ compiled: articles + 2, fromCache: 0 })
    expect(cold.json).toBe(expected)

    const warm = await build({ threads: 2, cache })
    expect(warm.stats).toMatchObject({ compiled: 0, fromCache: articles + 2 })
    expect(warm.json).toBe(expected)
  })

  // On one thread the entries are read where they are parsed; on two, by a reader thread.
  for (const threads of [1, 2])
    it(`picks up an edited, added, renamed and deleted article in a warm build (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      for (const name of ['a', 'b', 'c', 'd'])
        await writeFile(
          join(seeds, `${name}.md`),
          markdownArticle({ title: `Title ${name}`, date: '2024-01-01', summary: 'S.' }),
        )
      expect((await build({ cache })).stats).toMatchObject({ compiled: 4 })

      // The same size and modification time: only the bytes (and the change time) differ.
      const a = join(seeds, 'a.md')
      const before = await stat(a)
      await writeFile(a, (await readFile(a, 'utf8')).replace('Title a', 'Title A'))
      await utimes(a, before.atime, before.mtime)
      await writeFile(
        join(seeds, 'e.md'),
        markdownArticle({ title: 'Title e', date: '2024-01-02', summary: 'S.' }),
      )
      await rename(join(seeds, 'b.md'), join(seeds, 'renamed.md'))
      await rm(join(seeds, 'c.md'))

      const warm = await build({ cache, threads })
      expect(warm.stats).toMatchObject({ files: 4, compiled: 3, fromCache: 1 })
      expect(warm.json).toBe(await reference())
      const titles = JSON.parse(warm.json).content.articles.map(
        (article: { title: string }) => article.title,
      )
      expect(titles.sort()).toEqual(['Title A', 'Title b', 'Title d', 'Title e'])
      expect((await cacheEntries()).map((entry) => entry.file)).toEqual([
        'a.md',
        'd.md',
        'e.md',
        'renamed.md',
      ])
      // The entries of the edited, renamed and deleted files go at the next build: their segment
      // is copied out and removed, and what is left is the four entries in use.
      expect((await build({ cache, threads })).stats).toMatchObject({ compiled: 0, fromCache: 4 })
      const entries = await cacheEntries()
      const segments = await segmentFiles()
      expect([...segments.keys()]).toEqual([...new Set(entries.map((entry) => entry.segment))])
      expect([...segments.values()].reduce((sum, size) => sum + size, 0)).toBe(
        entries.reduce((sum, entry) => sum + entry.size, 0),
      )
      expect((await build({ cache, threads })).json).toBe(await reference())
    })

  for (const threads of [1, 2])
    it(`compiles again instead of using a tampered, cut or foreign cache entry (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      for (const name of ['a', 'b', 'c'])
        await writeFile(
          join(seeds, `${name}.md`),
          markdownArticle({ title: `Title ${name}`, date: '2024-01-01', summary: 'S.' }),
        )
      await build({ cache })
      const expected = await reference()
      const [first, second, third] = await cacheEntries()
      // One segment, the three entries in the files' order, each as long as the others.
      expect(new Set([first!.segment, second!.segment, third!.segment]).size).toBe(1)
      expect(third!.offset).toBe(second!.offset + second!.size)
      // Tampered: the article's title changed, the integrity hash left as it was.
      const tampered = Buffer.from(
        (await readEntry(first!)).toString('latin1').replace(/Title [abc]/, 'Title X'),
        'latin1',
      )
      expect(tampered.toString('latin1')).toContain('Title X')
      // Foreign: a whole, valid entry, but stored where another file's entry is.
      await writeEntry(second!, await readEntry(first!))
      await writeEntry(first!, tampered)
      // Cut short, as by a full disk.
      await truncate(third!.segment, third!.offset + third!.size - 10)

      const warm = await build({ cache, threads })
      expect(warm.stats).toMatchObject({ compiled: 3, fromCache: 0 })
      expect(warm.json).toBe(expected)
      expect(warm.json).not.toContain('Title X')
      // Rewritten whole: the next build takes all three from the cache.
      expect((await build({ cache, threads })).stats).toMatchObject({ compiled: 0, fromCache: 3 })
    })

  it("takes an unchanged file's key from the manifest only as far as its entry agrees", async () => {
    for (const name of ['a', 'b'])
      await writeFile(
        join(seeds, `${name}.md`),
        markdownArticle({ title: `Title ${name}`, date: '2024-01-01' }),
      )
    // Older than a change within the file system clock's tick of the build that reads them.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100))
    const expected = await reference()
    await build({ cache })
    expect((await build({ cache })).stats).toMatchObject({ read: 0, fromCache: 2 })
    const listed = await readdir(cache, { recursive: true, withFileTypes: true })
    const found = listed.find((entry) => entry.name === 'manifest.json')!
    const path = join(found.parentPath, found.name)
    const edit = async (
      change: (files: Record<string, { key: string; entry: unknown }>) => void,
    ) => {
      const manifest = JSON.parse(await readFile(path, 'utf8'))
      change(manifest.files)
      await writeFile(path, JSON.stringify(manifest))
    }
    // a.md's key and entry made b.md's: the entry is whole and under that key, but about b.md.
    await edit((files) => {
      files['a.md']!.key = files['b.md']!.key
      files['a.md']!.entry = files['b.md']!.entry
    })
    const swapped = await build({ cache })
    expect(swapped.stats).toMatchObject({ compiled: 1, fromCache: 1 })
    expect(swapped.json).toBe(expected)
    // A key no entry is stored under.
    await edit((files) => {
      files['a.md']!.key = 'forged'
    })
    const forged = await build({ cache })
    expect(forged.stats).toMatchObject({ compiled: 1, fromCache: 1 })
    expect(forged.json).toBe(expected)
    expect((await build({ cache })).stats).toMatchObject({ compiled: 0, fromCache: 2 })
  })

  it("reads an entry's HTML only when asked, and compiles again when it is damaged", async () => {
    for (const name of ['a', 'b'])
      await writeFile(
        join(seeds, `${name}.md`),
        markdownArticle({ title: `Title ${name}`, date: '2024-01-01', summary: 'S.' }),
      )
    await build({ cache })
    const expected = await reference()
    const [first] = await cacheEntries()
    // The HTML part, after the header and the JSON: the same length, other bytes.
    const bytes = await readEntry(first!)
    const body = bytes.lastIndexOf('<p>')
    expect(body).toBeGreaterThan(0)
    bytes.write('<p>Forged', body, 'latin1')
    await writeEntry(first!, bytes)

    // The header and JSON are whole, so the entry is taken; its HTML is checked when read.
    const warm = await build({ cache })
    expect(warm.stats).toMatchObject({ compiled: 0, fromCache: 2 })
    expect(warm.json).toBe(expected)
    expect(warm.json).not.toContain('Forged')
    // The entry was written again whole, where it is.
    expect((await readEntry(first!)).includes('Forged')).toBe(false)
    expect(await cacheEntries()).toEqual([first, expect.anything()])
    expect((await build({ cache })).json).toBe(expected)
  })

  it("fails with the file named when a damaged entry's file has changed since it was read", async () => {
    const a = join(seeds, 'a.md')
    await writeFile(a, markdownArticle({ title: 'Title a', date: '2024-01-01', summary: 'S.' }))
    await build({ cache })
    const [entry] = await cacheEntries()
    const check = await checkSeeds(seeds, 'seeds', { lockPath: join(folder, 'lock.json'), cache })
    const article = check.result.ok ? check.result.content.articles[0] : undefined
    expect(article).toBeDefined()
    // Between the build's look at the entry and its use of the HTML: the entry goes, the file changes.
    await rm(entry!.segment)
    await writeFile(a, markdownArticle({ title: 'Title a', date: '2024-01-01', summary: 'T.' }))
    expect(() => article!.contentHtml).toThrow(/a\.md: the build cache entry .* Build again/)
  })

  it('keys entries by the code that compiles: the renderer, the schema and their packages', () => {
    const code = compileCode()
    for (const module of [
      'src/build/content/compile-content.ts',
      'src/build/content/parse-article.ts',
      'src/build/content/front-matter.ts',
      'src/build/content/render-markdown.ts',
      'src/build/content/taxonomy.ts',
      'src/site/text.ts',
    ])
      expect(code.modules).toContain(module)
    for (const name of ['gray-matter', 'js-yaml', 'markdown-it', 'sanitize-html', 'zod'])
      expect(code.packages.some((entry) => entry.startsWith(`${name}@`))).toBe(true)
    expect(code.version).toMatch(/^[\w-]{22}$/)
  })

  it('counts the modules the build starts threads from as its code', () => {
    const build = codeOf(resolve('scripts/build-content.ts'))
    for (const module of [
      'src/build/compile-worker.ts',
      'src/build/cache-reader-worker.ts',
      'src/build/prerender/fragment-worker.ts',
      'src/build/prerender/pack-thread-worker.ts',
    ])
      expect(build.modules).toContain(module)
  })

  it('counts the modules the build loads as it runs as its code, and their packages', () => {
    // build-content.ts loads the compiler, the prerender and the icons only once a build has
    // something to do: their code keys the output and the kept fragments all the same.
    const build = codeOf(resolve('scripts/build-content.ts'))
    for (const module of [
      'scripts/seeds-folder.ts',
      'src/build/content/compile-content.ts',
      'src/build/write-worker-content.ts',
      'src/build/prerender/prerender-site.ts',
      'src/build/icons/derive-site-icons.ts',
    ])
      expect(build.modules).toContain(module)
    expect(build.packages.some((entry) => entry.startsWith('sharp@'))).toBe(true)
  })
})

describe('the build script on threads and from its cache', SLOW, () => {
  it('writes the same bytes as a clean single-threaded build', async () => {
    await writeHostileCorpus(seeds)
    const outputs: Map<string, string>[] = []
    for (const [name, args] of [
      ['single', ['--threads', '1', '--no-cache']],
      ['cold', ['--threads', '2', '--cache', cache]],
      ['warm', ['--threads', '2', '--cache', cache]],
    ] as const) {
      const out = join(folder, name)
      const run = await runScript('build-content.ts', [
        '--seeds',
        seeds,
        '--out',
        join(out, 'content.js'),
        '--lock',
        join(out, 'lock.json'),
        '--quiet',
        ...args,
      ])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      outputs.push(await filesOf(out))
    }
    expect(outputs[0]!.size).toBeGreaterThan(60)
    expect(outputs[1]).toEqual(outputs[0])
    expect(outputs[2]).toEqual(outputs[0])
  }, 120_000)
})
