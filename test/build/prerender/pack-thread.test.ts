import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packWriterOver } from '../../../src/build/prerender/document-store.ts'
import type { PackSource } from '../../../src/build/prerender/pack-file.ts'
import { PackThread } from '../../../src/build/prerender/pack-thread.ts'

/**
 * Packs made on a thread of their own (src/build/prerender/pack-thread.ts)
 * while the prerender goes on: the files are byte for byte those made on
 * the prerender's thread, the prerender makes a pack itself while the thread
 * is behind (so the queue never grows past the bytes allowed in flight),
 * closing waits for every pack sent, and a pack that cannot be written fails
 * the build with its cause.
 */

let folder: string
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'pack-thread-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const WORDS = ['harbour', 'ferry', 'council', 'storm', '<em>tide</em>', 'quay', '&amp;', 'é']

/** A pack of `pages` documents of about `size` characters each, some moved slugs among them. */
function packSources(pack: number, pages: number, size: number): PackSource[] {
  const sources: PackSource[] = []
  let seed = pack + 1
  for (let page = 1; page <= pages; page++) {
    const words: string[] = []
    for (let length = 0; length < size; ) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      const word = WORDS[seed % WORDS.length]!
      words.push(word)
      length += word.length + 1
    }
    const text = `<p>${words.join(' ')}</p>`
    sources.push({
      name: String(page),
      text: page % 2 ? text : new TextEncoder().encode(text),
      modified: 1_700_000_000 + page,
      type: page % 3,
    })
  }
  sources.push({ name: `old-${pack}`, movedTo: `new-${pack}` })
  return sources
}

/** 40 packs of 8 pages of 300 KB (96 MB), and the files the prerender's thread makes of them. */
function packsAndFiles() {
  const packs = Array.from({ length: 40 }, (_, pack) => ({
    path: `/_packs/archive/site/rss/${pack}.pack`,
    sources: packSources(pack, 8, 300_000),
  }))
  const made = new Map<string, Uint8Array>()
  const inline = packWriterOver((path, bytes) => made.set(path, bytes))
  for (const { path, sources } of packs) inline.write(path, sources, () => {})
  return { packs, made }
}

describe('the pack thread', { timeout: 120_000 }, () => {
  it('writes byte for byte what the prerender’s thread makes, moving the bytes handed over', async () => {
    const { packs, made } = packsAndFiles()
    // All of them in flight at once: every pack goes to the thread.
    const thread = new PackThread(join(folder, 'assets'), 2 ** 30)
    const written: [string, number, number][] = []
    // Documents' bytes handed over move to the thread; a view into a larger buffer is copied.
    const handedOver: Uint8Array[] = []
    let view: Uint8Array | undefined
    for (const [index, { path, sources }] of packs.entries()) {
      if (index === 0) {
        const at = sources.findIndex(
          (source) => 'text' in source && source.text instanceof Uint8Array,
        )
        const source = sources[at] as PackSource & { text: Uint8Array }
        const larger = new Uint8Array(source.text.byteLength + 1)
        larger.set(source.text)
        view = larger.subarray(0, source.text.byteLength)
        sources[at] = { ...source, text: view }
      }
      const bytes = sources.flatMap((source) =>
        'text' in source && source.text instanceof Uint8Array ? [source.text] : [],
      )
      handedOver.push(...bytes)
      thread.write(path, sources, (bytes, largest) => written.push([path, bytes, largest]), bytes)
    }
    await thread.close()
    expect(handedOver.filter((bytes) => bytes.byteLength === 0)).toHaveLength(handedOver.length - 1)
    expect(view!.byteLength).toBeGreaterThan(0)
    expect(written).toHaveLength(packs.length)
    expect(thread.files).toBe(packs.length)
    for (const { path } of packs) {
      const file = new Uint8Array(await readFile(join(folder, 'assets', path)))
      expect(Buffer.compare(file, made.get(path)!), path).toBe(0)
      expect(written.find(([name]) => name === path)?.[1]).toBe(file.byteLength)
    }
    expect(thread.bytes).toBe([...made.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0))
    expect(thread.largest).toBeGreaterThan(300_000)
    expect(thread.madeHere).toBe(0)
  })

  it('has the prerender make packs itself while the thread is behind, the same bytes', async () => {
    const { packs, made } = packsAndFiles()
    // Nothing may wait: while the thread has a pack (the first, as it starts), the next are made here.
    const thread = new PackThread(join(folder, 'shared'), 0)
    const written = new Map<string, number>()
    for (const { path, sources } of packs)
      thread.write(path, sources, (bytes) => written.set(path, bytes))
    await thread.close()
    expect(thread.madeHere).toBeGreaterThan(0)
    expect(thread.madeHere).toBeLessThan(packs.length)
    expect(thread.files).toBe(packs.length)
    for (const { path } of packs) {
      const file = new Uint8Array(await readFile(join(folder, 'shared', path)))
      expect(Buffer.compare(file, made.get(path)!), path).toBe(0)
      expect(written.get(path)).toBe(file.byteLength)
    }
    expect(thread.bytes).toBe([...made.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0))
  })

  it('waits at close for every pack sent, also after its queue was empty once', async () => {
    const thread = new PackThread(join(folder, 'twice'))
    const written: string[] = []
    thread.write('/_packs/topic/0/0.pack', packSources(1, 2, 1000), () => written.push('first'))
    while (written.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    thread.write('/_packs/topic/0/1.pack', packSources(2, 8, 300_000), () => written.push('second'))
    await thread.close()
    expect(written).toEqual(['first', 'second'])
    expect(thread.files).toBe(2)
    await readFile(join(folder, 'twice', '_packs/topic/0/1.pack'))
  })

  it('fails the build with the cause when a pack cannot be written', async () => {
    // A file where the pack's folder would be.
    const blocked = join(folder, 'blocked')
    await writeFile(blocked, 'not a folder')
    const thread = new PackThread(blocked)
    thread.write('/_packs/sitemap/0.pack', packSources(0, 2, 1000), () => {})
    await expect(thread.close()).rejects.toThrow(/_packs\/sitemap\/0\.pack|writing a pack/)
  })
})
