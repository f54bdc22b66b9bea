import { mkdtemp, readdir, readFile, rm, truncate, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  compactSegments,
  type EntryAt,
  isEntryAt,
  removeCompacted,
  rewriteEntry,
  SegmentReader,
  SegmentWriter,
} from '../../src/build/cache-segments.ts'

/**
 * The build cache's segment files: entries appended, read back where the
 * writer said they are, and the folder kept to about the entries in use.
 */

let folder: string

beforeEach(async () => {
  folder = join(await mkdtemp(join(tmpdir(), 'cache-segments-')), 'segments')
})
afterEach(async () => {
  await rm(join(folder, '..'), { recursive: true, force: true })
})

function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'utf8')
}

/** Writes one segment of the given entries; where each is. */
function writeSegment(...entries: string[]): EntryAt[] {
  const writer = new SegmentWriter(folder)
  try {
    return entries.map((entry) => writer.append(bytesOf(entry))!)
  } finally {
    writer.close()
  }
}

function readBack(at: EntryAt): string {
  const reader = new SegmentReader(folder)
  try {
    return reader.view(at, at.size).toString('utf8')
  } finally {
    reader.close()
  }
}

/** Makes a segment look as old as a build long past. */
async function age(segment: string): Promise<void> {
  const long = new Date(Date.now() - 60 * 60 * 1000)
  await utimes(join(folder, segment), long, long)
}

describe('segment files', () => {
  it('reads every entry back from where the writer put it', () => {
    const [a, b, c] = writeSegment('first entry', 'second', 'third — ünïcode')
    expect(new Set([a!.segment, b!.segment, c!.segment]).size).toBe(1)
    expect([a!.offset, b!.offset, c!.offset]).toEqual([0, a!.size, a!.size + b!.size])
    expect([a, b, c].map((at) => readBack(at!))).toEqual([
      'first entry',
      'second',
      'third — ünïcode',
    ])
    // Each writer starts a segment of its own.
    const [d] = writeSegment('fourth')
    expect(d!.segment).not.toBe(a!.segment)
  })

  it('reads fewer bytes, never others, from a segment cut short or gone', async () => {
    const [, b] = writeSegment('first entry', 'second')
    await truncate(join(folder, b!.segment), b!.offset + 3)
    expect(readBack(b!)).toBe('sec')
    await rm(join(folder, b!.segment))
    expect(readBack(b!)).toBe('')
  })

  it('writes an entry again in place only with bytes as long as it', () => {
    const [a, b] = writeSegment('first entry', 'second')
    expect(rewriteEntry(folder, a!, bytesOf('FIRST ENTRY'))).toBe(true)
    expect(rewriteEntry(folder, b!, bytesOf('a longer one'))).toBe(false)
    expect([readBack(a!), readBack(b!)]).toEqual(['FIRST ENTRY', 'second'])
  })
})

describe('places read from the manifest', () => {
  it('are taken only as a writer gives them: no path out of the folder, no size beyond reason', () => {
    const [at] = writeSegment('an entry')
    expect(isEntryAt(at)).toBe(true)
    for (const bad of [
      { ...at, segment: '../../outside.seg' },
      { ...at, segment: `${at!.segment}/x` },
      { ...at, offset: -1 },
      { ...at, offset: 0.5 },
      { ...at, size: 0 },
      { ...at, size: 2 ** 40 },
      { segment: at!.segment },
      null,
      'a string',
    ])
      expect(isEntryAt(bad)).toBe(false)
  })
})

describe('compacting the segments', () => {
  it('removes a segment no entry uses once it is older than any running build', async () => {
    const [old] = writeSegment('replaced since')
    const [recent] = writeSegment('an unfinished build may still use this')
    const [kept] = writeSegment('in use')
    await age(old!.segment)
    const { moved, emptied } = compactSegments(folder, new Map([['k', kept!]]), Date.now() - 60_000)
    expect(emptied).toEqual([old!.segment])
    expect(moved.size).toBe(0)
    removeCompacted(folder, emptied)
    expect((await readdir(folder)).sort()).toEqual([recent!.segment, kept!.segment].sort())
  })

  it('copies the live entries out of a mostly unused segment, and of small ones together', async () => {
    const big = 'x'.repeat(40 * 1024)
    const [dead, live, deadToo] = writeSegment(big, 'live one', big)
    const [small] = writeSegment('small and whole')
    const live2 = new Map([
      ['a', live!],
      ['b', small!],
    ])
    const { moved, emptied } = compactSegments(folder, live2, 0)
    expect(emptied.sort()).toEqual([dead!.segment, small!.segment].sort())
    expect(deadToo!.segment).toBe(dead!.segment)
    // Both now in one new segment, read back the same.
    const a = moved.get('a')!
    const b = moved.get('b')!
    expect(a.segment).toBe(b.segment)
    expect([readBack(a), readBack(b)]).toEqual(['live one', 'small and whole'])
    removeCompacted(folder, emptied)
    expect(await readdir(folder)).toEqual([a.segment])
    expect((await readFile(join(folder, a.segment))).length).toBe(a.size + b.size)
  })

  it('leaves alone a single small segment that is all in use', () => {
    const [only] = writeSegment('small and whole')
    expect(compactSegments(folder, new Map([['a', only!]]), 0)).toEqual({
      moved: new Map(),
      emptied: [],
    })
  })

  it('leaves a few small whole segments alone, and merges them once there are dozens', async () => {
    // Each build after an edit leaves one: merging them at every build would cost each such
    // build a second write of the manifest.
    const live = new Map<string, EntryAt>()
    const add = (count: number) => {
      for (let n = 0; n < count; n++)
        live.set(`e${live.size}`, writeSegment(`edit ${live.size}`)[0]!)
    }
    add(2)
    expect(compactSegments(folder, live, 0)).toEqual({ moved: new Map(), emptied: [] })
    add(48)
    const { moved, emptied } = compactSegments(folder, live, 0)
    expect(emptied.length).toBe(50)
    expect(new Set([...moved.values()].map((at) => at.segment)).size).toBe(1)
    expect([...live.keys()].map((key) => readBack(moved.get(key)!))).toEqual(
      [...live.keys()].map((key) => `edit ${key.slice(1)}`),
    )
    removeCompacted(folder, emptied)
    expect((await readdir(folder)).length).toBe(1)
  })

  it('keeps a segment whose entries cannot all be copied, and its entries where they are', async () => {
    const big = 'x'.repeat(40 * 1024)
    const [dead, first, cut] = writeSegment(big, 'first', 'cut short')
    await truncate(join(folder, dead!.segment), cut!.offset + 3)
    const live = new Map([
      ['a', first!],
      ['b', cut!],
    ])
    const { moved, emptied } = compactSegments(folder, live, 0)
    expect(emptied).toEqual([])
    expect(moved.size).toBe(0)
    expect(readBack(first!)).toBe('first')
  })
})
