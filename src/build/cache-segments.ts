import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readFully, writeFully } from './file-ranges.ts'

/**
 * Where the build cache's entries live: appended to segment files, many
 * entries to a file, instead of a file each. Creating a file is the dear
 * part of storing an entry: in a cold build of 10,000 articles the compile
 * threads spent more time in `open` for their 10,000 entry files than in
 * rendering Markdown. A segment is written by one writer from start to end
 * and never changed after, except that an entry may be written again in
 * place with the same bytes (see `rewriteEntry`).
 *
 * This module knows nothing of what an entry holds: the cache checks every
 * entry it reads (compile-cache.ts), so an entry cut short, overwritten or
 * looked for at the wrong place is one it ignores, not one it trusts.
 */

/** Where an entry is: its segment (a file name in the segments folder), its offset and size. */
export interface EntryAt {
  segment: string
  offset: number
  size: number
}

/** The largest entry read or copied: far above any article's, far below what fails to allocate. */
const MAX_ENTRY = 64 * 1024 * 1024

/** A segment's name as `segmentName` makes it: never a path out of the segments folder. */
const SEGMENT_NAME = /^[0-9a-z]+-[0-9a-z]+-[0-9a-f]{12}\.seg$/

/**
 * Whether a place read from the manifest, a file anyone can edit, is one a
 * writer could have given: the cache reads (and mends) only at such places.
 */
export function isEntryAt(value: unknown): value is EntryAt {
  const at = value as Partial<EntryAt> | null
  return (
    typeof at === 'object' &&
    at !== null &&
    typeof at.segment === 'string' &&
    SEGMENT_NAME.test(at.segment) &&
    Number.isSafeInteger(at.offset) &&
    at.offset! >= 0 &&
    Number.isSafeInteger(at.size) &&
    at.size! > 0 &&
    at.size! <= MAX_ENTRY
  )
}

/** Segments whose live entries fill less than this share of them are copied out and removed. */
const COMPACT_BELOW = 0.5
/** Segments smaller than this (a warm build's, of a few entries) are merged together… */
const SMALL_SEGMENT = 64 * 1024
/**
 * …once there are this many of them, or along with a mostly unused one. Each build after an
 * edit leaves one; merging every two made each such build write the manifest (35 MB at
 * 100,000 articles) once more, where a few dozen small files cost a build nothing.
 */
const MERGE_SMALL_FROM = 32

/** A name no other writer, thread or process, picks: its time, process, and random bytes. */
function segmentName(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${randomBytes(6).toString('hex')}.seg`
}

/**
 * Appends entries to a new segment, created on the first entry. Close it when
 * done: the compile threads write a segment per batch of files they are sent
 * (compile-worker.ts). A failed write ends the segment; the entries appended
 * before it stay good, and the ones after are not stored (a compile next time).
 */
export class SegmentWriter {
  #fd: number | undefined
  #name = ''
  #end = 0
  #failed = false
  readonly folder: string

  constructor(folder: string) {
    this.folder = folder
  }

  /** Appends an entry's bytes; where they are, or undefined when they could not be stored. */
  append(bytes: Uint8Array): EntryAt | undefined {
    if (this.#failed) return undefined
    try {
      if (this.#fd === undefined) {
        mkdirSync(this.folder, { recursive: true })
        this.#name = segmentName()
        this.#fd = openSync(join(this.folder, this.#name), 'wx')
      }
      writeFully(this.#fd, bytes, this.#end)
    } catch {
      this.#failed = true
      return undefined
    }
    const at = { segment: this.#name, offset: this.#end, size: bytes.length }
    this.#end += bytes.length
    return at
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
  }
}

/**
 * Bytes read at once from a segment: a batch's segment whole (16 entries of
 * about 10 KB), or the next entries of a larger one.
 */
const READ_AHEAD = 256 * 1024

/**
 * Reads entries from the segments of a folder, keeping the last segment
 * open: entries are read in the order their files were compiled, so most
 * reads follow one another in the same segment. Each read takes the bytes
 * after the entry too, and the reads that follow are served from them: a
 * warm build at 100,000 articles made a read for each entry, 0.5 s of calls.
 * Close it when done.
 */
export class SegmentReader {
  #open: { segment: string; fd: number } | undefined
  /** Bytes of the open segment read ahead: from `#start`, `#length` of them. */
  #ahead: Buffer | undefined
  #start = 0
  #length = 0
  readonly folder: string

  constructor(folder: string) {
    this.folder = folder
  }

  /**
   * The first `length` bytes of an entry, or fewer when the segment is gone
   * or shorter than it should be: a view of the bytes read ahead, good until
   * the next read (a buffer of its own for more than READ_AHEAD bytes).
   */
  view(at: EntryAt, length: number): Buffer {
    try {
      if (this.#open?.segment !== at.segment) {
        this.close()
        this.#open = { segment: at.segment, fd: openSync(join(this.folder, at.segment), 'r') }
      }
      const from = at.offset - this.#start
      if (from >= 0 && at.offset + length <= this.#start + this.#length)
        return this.#ahead!.subarray(from, from + length)
      if (length > READ_AHEAD) {
        const bytes = Buffer.allocUnsafe(length)
        return bytes.subarray(0, readFully(this.#open.fd, bytes, 0, length, at.offset))
      }
      this.#ahead ??= Buffer.allocUnsafe(READ_AHEAD)
      this.#start = at.offset
      this.#length = readFully(this.#open.fd, this.#ahead, 0, READ_AHEAD, at.offset)
      return this.#ahead.subarray(0, Math.min(length, this.#length))
    } catch {
      this.close()
      return Buffer.alloc(0)
    }
  }

  close(): void {
    if (this.#open) closeSync(this.#open.fd)
    this.#open = undefined
    this.#length = 0
  }
}

/**
 * Writes an entry again where it is, when `bytes` are exactly as long as it:
 * how a damaged entry is mended, with the bytes it was written with. Says
 * whether it did.
 */
export function rewriteEntry(folder: string, at: EntryAt, bytes: Uint8Array): boolean {
  if (bytes.length !== at.size) return false
  let fd: number | undefined
  try {
    fd = openSync(join(folder, at.segment), 'r+')
    if (fstatSync(fd).size < at.offset + at.size) return false
    writeFully(fd, bytes, at.offset)
    return true
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Keeps the segments folder to about the size of the entries in use, given
 * every entry in use (`live`, by any key: the cache's files by path; read
 * once, and once more only when there is something to copy) and the
 * time before which no build still running can have begun a segment
 * (`settledBefore`, ms since the epoch). Segments no entry uses go, once
 * they are that old: an unfinished build's, or entries since replaced.
 * Segments mostly unused, and small ones when there are a few dozen (or
 * with a mostly unused one), have their
 * live entries copied to a new segment; the returned map says where each
 * moved entry is now. Call `removeCompacted` with that result once nothing
 * refers to the old places any more (the manifest is written).
 */
export function compactSegments<K>(
  folder: string,
  live: Iterable<readonly [K, EntryAt]>,
  settledBefore: number,
): { moved: Map<K, EntryAt>; emptied: string[] } {
  const moved = new Map<K, EntryAt>()
  const emptied: string[] = []
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return { moved, emptied }
  }
  // The bytes in use of each segment first; the entries only of those to copy, which after
  // most builds are none (a list of every entry had cost a warm build at 100k 0.1 s).
  const used = new Map<string, number>()
  for (const [, at] of live) used.set(at.segment, (used.get(at.segment) ?? 0) + at.size)
  type Candidate = { name: string; size: number; entries: [K, EntryAt][] }
  const sparse: Candidate[] = []
  const small: Candidate[] = []
  for (const name of names.sort()) {
    let info: { size: number; mtimeMs: number }
    try {
      info = statSync(join(folder, name))
    } catch {
      continue
    }
    const bytes = used.get(name)
    if (bytes === undefined) {
      if (info.mtimeMs < settledBefore) emptied.push(name)
      continue
    }
    const candidate = { name, size: info.size, entries: [] }
    if (bytes < info.size * COMPACT_BELOW) sparse.push(candidate)
    else if (info.size < SMALL_SEGMENT) small.push(candidate)
  }
  const candidates =
    sparse.length > 0 || small.length >= MERGE_SMALL_FROM ? [...sparse, ...small] : []
  if (candidates.length > 0) {
    const byName = new Map(candidates.map((candidate) => [candidate.name, candidate]))
    for (const [key, at] of live) byName.get(at.segment)?.entries.push([key, at])
    const writer = new SegmentWriter(folder)
    const reader = new SegmentReader(folder)
    try {
      for (const candidate of candidates) {
        let whole = true
        for (const [key, at] of candidate.entries.sort((a, b) => a[1].offset - b[1].offset)) {
          const bytes = reader.view(at, at.size)
          const copied = bytes.length === at.size ? writer.append(bytes) : undefined
          if (copied) moved.set(key, copied)
          else whole = false
        }
        // A segment whose entries could not all be copied stays: its entries still work there.
        if (whole) emptied.push(candidate.name)
        else for (const [key] of candidate.entries) moved.delete(key)
      }
    } finally {
      reader.close()
      writer.close()
    }
  }
  return { moved, emptied }
}

/** Removes the segments `compactSegments` emptied. */
export function removeCompacted(folder: string, emptied: readonly string[]): void {
  for (const name of emptied) rmSync(join(folder, name), { force: true })
}
