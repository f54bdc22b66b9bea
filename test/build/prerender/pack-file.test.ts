import { zstdDecompressSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  type PackSource,
  packFile,
  replacePackEntry,
} from '../../../src/build/prerender/pack-file.ts'
import { type PackDirectory, type PackedDocument, packLayout } from '../../../src/contract/pack.ts'

/**
 * One entry of a pack made again (replacePackEntry, the preview's fast path
 * for an older article's page) gives the bytes a build that renders the
 * same entries writes (packFile), whatever the entries' names and order.
 */

const decoder = new TextDecoder()

function directoryOf(pack: Uint8Array): { directory: PackDirectory; start: number } {
  const layout = packLayout(pack)!
  return {
    directory: JSON.parse(decoder.decode(pack.subarray(...layout.directory))),
    start: layout.start,
  }
}

function documentOf(pack: Uint8Array, name: string): string {
  const { directory, start } = directoryOf(pack)
  const [offset, length] = directory[name] as PackedDocument
  return decoder.decode(zstdDecompressSync(pack.subarray(start + offset, start + offset + length)))
}

// Names as slugs come: words, and digits only (which objects order first), and a moved slug.
const sources: PackSource[] = [
  { name: 'old-harbour', movedTo: 'harbour-reopens' },
  {
    name: 'harbour-reopens',
    text: '<p>The harbour is open.</p>',
    modified: 1_700_000_000,
    type: 0,
  },
  { name: '2024', text: '<p>A year in review.</p>'.repeat(50), modified: 1_700_000_100, type: 0 },
  { name: 'tide-tables', text: '<p>High water at noon.</p>', modified: -1, type: 1 },
  { name: '7', text: 'Seven', modified: 1_700_000_200, type: 0 },
]

describe('one entry of a pack made again', () => {
  it('gives the bytes of the pack made with that entry, for each entry', () => {
    const pack = packFile(sources).bytes
    for (const [index, source] of sources.entries()) {
      if ('movedTo' in source) continue
      const edited = {
        ...source,
        text: `${String(source.text)}<p>Corrected.</p>`,
        modified: 1_800_000_000,
      }
      const expected = packFile(sources.with(index, edited)).bytes
      const replaced = replacePackEntry(pack, source.name, edited.text, edited.modified)
      expect(replaced, source.name).toBeInstanceOf(Uint8Array)
      expect(Buffer.from(replaced as Uint8Array).equals(Buffer.from(expected)), source.name).toBe(
        true,
      )
      expect(documentOf(replaced as Uint8Array, source.name)).toBe(edited.text)
    }
  })

  it('says when the entry is as it is already, and when there is none to make again', () => {
    const pack = packFile(sources).bytes
    expect(replacePackEntry(pack, 'tide-tables', '<p>High water at noon.</p>', -1)).toBe(
      'unchanged',
    )
    // The same page, another date: the directory changes.
    expect(replacePackEntry(pack, 'tide-tables', '<p>High water at noon.</p>', 5)).toBeInstanceOf(
      Uint8Array,
    )
    expect(replacePackEntry(pack, 'old-harbour', 'x', 1)).toBeUndefined()
    expect(replacePackEntry(pack, 'nowhere', 'x', 1)).toBeUndefined()
    expect(replacePackEntry(new TextEncoder().encode('EFPACK1 2\n{}'), '7', 'x', 1)).toBeUndefined()
    expect(replacePackEntry(pack.subarray(0, 20), '7', 'x', 1)).toBeUndefined()
  })
})
