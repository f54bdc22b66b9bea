import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replaceInPlace, replaceWhole } from '../../../src/build/prerender/replace-assets.ts'

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

  it('in place: the same files as a whole swap, and only what changed is touched', async () => {
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

    expect(await replaceInPlace(staging, assets)).toEqual({ changed: 2, removed: 2 })
    const whole = join(folder, 'whole')
    await put(join(folder, 'whole-staging'), next)
    await replaceWhole(join(folder, 'whole-staging'), whole)
    expect(await tree(assets)).toEqual(await tree(whole))
    expect([
      await ino(join(assets, '_headers')),
      await ino(join(assets, 'articles/a/index.html')),
    ]).toEqual(untouched)
    await expect(stat(staging)).rejects.toThrow()
  })

  it('in place: a file where a folder now goes, and the reverse', async () => {
    const assets = join(folder, 'assets')
    const staging = join(folder, 'staging')
    await put(assets, { x: 'file', 'y/z': 'in a folder' })
    await put(staging, { 'x/inner': 'now a folder', y: 'now a file' })
    await replaceInPlace(staging, assets)
    expect(await tree(assets)).toEqual({
      x: '(folder)',
      'x/inner': 'now a folder',
      y: 'now a file',
    })
  })

  it('in place with no folder yet, and whole over a last build', async () => {
    const assets = join(folder, 'assets')
    await put(join(folder, 'staging'), next)
    await put(join(folder, 'expected'), next)
    await replaceInPlace(join(folder, 'staging'), assets)
    expect(await tree(assets)).toEqual(await tree(join(folder, 'expected')))
    await put(join(folder, 'staging'), last)
    await replaceWhole(join(folder, 'staging'), assets)
    expect((await tree(assets))['gone/deep/file.txt']).toBe('gone')
    expect((await tree(assets))['articles/c/index.html']).toBeUndefined()
    expect((await readdir(folder)).sort()).toEqual(['assets', 'expected'])
  })
})
