import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replaceAssets } from '../../../src/build/prerender/replace-assets.ts'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'replace-assets-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function put(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
}

/** Every file under `root` with its text, and every folder. */
async function tree(root: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {}
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name).slice(root.length + 1)
    found[path] = entry.isFile() ? await readFile(join(root, path), 'utf8') : '(folder)'
  }
  return found
}

const ino = async (path: string) => (await stat(path)).ino

describe('putting a staged assets folder in place', () => {
  const last = {
    _headers: 'h',
    'articles/a/index.html': 'A',
    'articles/b/index.html': 'B',
    'feed.xml': 'old feed',
    'gone/deep/file.txt': 'gone',
  }
  const next = {
    _headers: 'h',
    'articles/a/index.html': 'A',
    'articles/c/index.html': 'C',
    'feed.xml': 'new feed',
  }

  /** The folder a first build leaves, with no folder before it: `files`, as they are. */
  async function fresh(name: string, files: Record<string, string>): Promise<string> {
    const staged = join(folder, `${name}-staging`)
    await put(staged, files)
    await replaceAssets(staged, join(folder, name))
    return join(folder, name)
  }

  it('watched: the same files as a first build, and only what changed is touched', async () => {
    const assets = join(folder, 'assets')
    const staging = join(folder, 'staging')
    await put(assets, last)
    await put(staging, next)
    // A file kept from the last build is a link to it; one rendered again is a file of its own.
    await rm(join(staging, '_headers'))
    await link(join(assets, '_headers'), join(staging, '_headers'))
    const untouched = [
      await ino(join(assets, '_headers')),
      await ino(join(assets, 'articles/a/index.html')),
    ]

    expect(await replaceAssets(staging, assets, new Set(), { watched: true })).toEqual({
      changed: 2,
      removed: 2,
    })
    expect(await tree(assets)).toEqual(await tree(await fresh('first', next)))
    expect([
      await ino(join(assets, '_headers')),
      await ino(join(assets, 'articles/a/index.html')),
    ]).toEqual(untouched)
    await expect(stat(staging)).rejects.toThrow()
  })

  it('not watched: every file made is put, every kept file stays, and nothing else is left', async () => {
    const assets = join(folder, 'assets')
    const staging = join(folder, 'staging')
    await put(assets, last)
    // The build made every file but the kept page of `a`, feed.xml to the same bytes as before.
    const { 'articles/a/index.html': _, ...made } = { ...next, 'feed.xml': 'old feed' }
    await put(staging, made)
    const kept = await ino(join(assets, 'articles/a/index.html'))
    const feed = await ino(join(assets, 'feed.xml'))
    expect(await replaceAssets(staging, assets, new Set(['/articles/a/index.html']))).toEqual({
      changed: 3,
      removed: 2,
    })
    expect(await tree(assets)).toEqual(
      await tree(await fresh('first', { ...next, 'feed.xml': 'old feed' })),
    )
    expect(await ino(join(assets, 'articles/a/index.html'))).toBe(kept)
    expect(await ino(join(assets, 'feed.xml'))).not.toBe(feed)
    expect((await readdir(folder)).sort()).toEqual(['assets', 'first'])
  })

  for (const watched of [true, false]) {
    it(`${watched ? 'watched' : 'not watched'}: a file where a folder now goes, and the reverse`, async () => {
      const assets = join(folder, 'assets')
      const staging = join(folder, 'staging')
      await put(assets, { x: 'file', 'y/z': 'in a folder' })
      await put(staging, { 'x/inner': 'now a folder', y: 'now a file' })
      await replaceAssets(staging, assets, new Set(), { watched })
      expect(await tree(assets)).toEqual({
        x: '(folder)',
        'x/inner': 'now a folder',
        y: 'now a file',
      })
    })
  }

  it('with no folder yet, the staged folder as it is; over a last build, none of its files', async () => {
    const assets = await fresh('assets', next)
    expect(await tree(assets)).toEqual(await tree(await fresh('expected', next)))
    await put(join(folder, 'staging'), last)
    await replaceAssets(join(folder, 'staging'), assets)
    expect((await tree(assets))['gone/deep/file.txt']).toBe('gone')
    expect((await tree(assets))['articles/c/index.html']).toBeUndefined()
    expect((await tree(assets))['articles/c']).toBeUndefined()
    expect((await readdir(folder)).sort()).toEqual(['assets', 'expected'])
  })
})
