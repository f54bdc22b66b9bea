import { createHash } from 'node:crypto'
import {
  closeSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readDigestedFileSync, writeDigestedFileSync } from '../digested-file.ts'
import { readFully, writeFully } from '../file-ranges.ts'
import { type FileStamp, fileStamp, sameStamp } from '../file-stamp.ts'
import { tryLock } from '../lock-file.ts'
import { ScratchBuffer } from '../scratch-buffer.ts'

/**
 * The item fragments of a build's articles, in a file instead of memory.
 * Every feed document is joined from them, so each is kept for the whole
 * build; at 10,000 articles they are about 300 MB, at 100,000 about 3 GB,
 * more than a build may hold (2 GiB). In a file they sit in the operating
 * system's page cache, and a document's join reads its items back.
 *
 * Without a cache folder the file is scratch: removed as soon as it is open,
 * so nothing is left behind even when the build stops half way. It goes in
 * the system's temporary folder (TMPDIR), which needs room for it.
 *
 * With one (the build cache's, see src/build/compile-cache.ts), the file is
 * kept, with an index from each article's key (a hash of the article as
 * feeds carry it) to its fragments, under `settings` (a hash of the code and
 * the settings that render them): the next build takes an unchanged
 * article's fragments from it instead of rendering them again. New fragments
 * are appended, and the index is written when the build ends, naming only
 * the fragments that build used; when the file holds more than twice their
 * bytes it is written afresh with those only. Each entry carries a SHA-256 of
 * its bytes, checked when it is taken: a cut, edited or foreign entry is
 * rendered again, never used. Checking reads every kept fragment, 3 GB at
 * 100,000 articles, though a build after one edit joins few of them: so the
 * index also holds a digest of itself and the data file's size, times and
 * inode as they were once written, and while the file is still that one its
 * entries are taken without being read (as kept-assets.ts keeps files). A
 * file changed since, by anyone, has other times, and every entry is checked
 * again. One build at a time uses a cache folder's file
 * (a lock file names its process; one whose process is gone, or older than
 * any build, is taken over); another build meanwhile uses scratch.
 */

/** A lock this old is left over, whoever has its process number now. */
const LOCK_STALE_MS = 6 * 60 * 60 * 1000

/** Changes when the file or index layout changes; an older index is then ignored. */
const FORMAT = 'fragments 4'

/** Kept fragments of one article: where they start, a hash of their bytes, each one's length. */
type StoredEntry = [number, string, ...number[]]

interface StoredIndex {
  format: string
  settings: string
  /** The data file, in the same folder. */
  data: string
  /** The data file when the index was written; absent when it could not be told apart from later changes. */
  stamp?: FileStamp
  entries: Record<string, StoredEntry>
}

/** The index's file: the index as JSON, after a digest of it (see digested-file.ts). */
const INDEX_FILE = 'index'

/** Where a cache folder's fragments are kept, and what renders them. */
export interface FragmentCache {
  folder: string
  settings: string
}

/** The cache folder's lock; false when another build holds it or it cannot be made. */
function takeLock(path: string): boolean {
  try {
    // A process may run two builds at once (tests do): each keeps to its own fragments.
    return tryLock(path, { staleAfterMs: LOCK_STALE_MS, heldByThisProcess: true })
  } catch {
    return false
  }
}

function readIndex(folder: string, settings: string): StoredIndex | undefined {
  try {
    const body = readDigestedFileSync(join(folder, INDEX_FILE))
    if (body === undefined) return undefined
    const index = JSON.parse(body) as StoredIndex
    const valid =
      index.format === FORMAT &&
      index.settings === settings &&
      typeof index.data === 'string' &&
      /^data-\d+\.bin$/.test(index.data) &&
      typeof index.entries === 'object' &&
      index.entries !== null
    return valid ? index : undefined
  } catch {
    return undefined
  }
}

function writeIndex(folder: string, index: StoredIndex): void {
  writeDigestedFileSync(join(folder, INDEX_FILE), JSON.stringify(index))
  // The index of the layout before this one.
  rmSync(join(folder, 'index.json'), { force: true })
}

/**
 * The coarsest clock a file system stamps modifications with (Linux's coarse
 * clock ticks every 1–10 ms; 2 s on FAT is not a cache folder's), with room to spare.
 */
const CLOCK_TICK_MS = 20

/**
 * The data file as it is now, once no later change can share its times: a
 * change within the clock tick of the last write could leave size and times
 * as they were, so the stamp waits until that tick has passed (at most
 * CLOCK_TICK_MS, once per build). Undefined when the file's times are ahead of
 * the clock, which then cannot tell; the next build checks every entry.
 */
function stampOf(fd: number): FileStamp | undefined {
  const info = fstatSync(fd, { bigint: true })
  const newest = Math.max(Number(info.mtimeNs / 1_000_000n), Number(info.ctimeNs / 1_000_000n))
  const wait = newest + CLOCK_TICK_MS - Date.now()
  if (wait > CLOCK_TICK_MS) return undefined
  if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait)
  return fileStamp(info)
}

/** A data file's name: numbered by time, never the name of the one before. */
function dataName(previous?: string): string {
  const before = Number(/^data-(\d+)\.bin$/.exec(previous ?? '')?.[1] ?? 0)
  return `data-${Math.max(Date.now(), before + 1)}.bin`
}

/** Opens the data file an index names; undefined when it is gone. */
function openData(path: string): number | undefined {
  try {
    return openSync(path, 'r+')
  } catch {
    return undefined
  }
}

/** A byte offset or length as the index holds it. */
function isWhole(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

/** SHA-256 of bytes, or of text as UTF-8. */
function hashOf(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('base64url')
}

/** A kept file: the cache folder, its data file, the index it was opened with. */
interface Kept {
  cache: FragmentCache
  data: string
  stored: Record<string, StoredEntry>
  /** Entries this build used (taken or put), by key: what the next index names. */
  used: Map<string, StoredEntry>
  /** The data file is the one the index was written for: its entries are taken unread. */
  stamped: boolean
}

export class FragmentFile {
  #fd: number
  #end = 0
  /** Per article: where its fragments start, then each one's length. */
  readonly #entries = new Map<string, number[]>()
  /** Per article: the key its fragments were taken or put under (see fragmentKey). */
  readonly #keys = new Map<string, string>()
  readonly #kept?: Kept
  /** Where taken fragments are read to be checked (see scratch-buffer.ts). */
  readonly #check = new ScratchBuffer()

  constructor(cache?: FragmentCache) {
    if (cache) {
      mkdirSync(cache.folder, { recursive: true })
      if (takeLock(join(cache.folder, 'lock'))) {
        let index = readIndex(cache.folder, cache.settings)
        let fd = index && openData(join(cache.folder, index.data))
        if (fd === undefined) index = undefined
        const data = index?.data ?? dataName()
        fd ??= openSync(join(cache.folder, data), 'w+')
        // Data files no index names: left by a build that stopped, or by other settings.
        for (const name of readdirSync(cache.folder))
          if (name !== data && /^data-\d+\.bin$/.test(name)) rmSync(join(cache.folder, name))
        this.#fd = fd
        const now = fileStamp(fstatSync(fd, { bigint: true }))
        this.#end = now.size
        const stamped = index?.stamp !== undefined && sameStamp(index.stamp, now)
        this.#kept = { cache, data, stored: index?.entries ?? {}, used: new Map(), stamped }
        return
      }
    }
    const folder = mkdtempSync(join(tmpdir(), 'edge-feed-fragments-'))
    this.#fd = openSync(join(folder, 'fragments.bin'), 'w+')
    rmSync(folder, { recursive: true, force: true })
  }

  has(id: string): boolean {
    return this.#entries.has(id)
  }

  /** The key an article's fragments were taken or put under; undefined when put without one. */
  keyOf(id: string): string | undefined {
    return this.#keys.get(id)
  }

  /** The cache this file is kept in, when this build holds it (see the lock). */
  get keptIn(): FragmentCache | undefined {
    return this.#kept?.cache
  }

  /**
   * Takes an article's fragments from an earlier build, by its key; false
   * when there are none, or they are not whole (then the caller renders them).
   */
  take(id: string, key: string, count: number): boolean {
    const kept = this.#kept
    const stored = kept && Object.hasOwn(kept.stored, key) ? kept.stored[key] : undefined
    if (!Array.isArray(stored) || stored.length !== count + 2) return false
    // Checked and copied in one loop: a warm build takes every article's (100,000 at 100k).
    const start: unknown = stored[0]
    const hash: unknown = stored[1]
    if (!isWhole(start) || typeof hash !== 'string') return false
    const entry = [start]
    let total = 0
    for (let slot = 2; slot < stored.length; slot++) {
      const length: unknown = stored[slot]
      if (!isWhole(length)) return false
      entry.push(length)
      total += length
    }
    if (start + total > this.#end) return false
    if (!kept!.stamped) {
      const bytes = this.#check.take(total)
      if (readFully(this.#fd, bytes, 0, total, start) !== total || hashOf(bytes) !== hash)
        return false
    }
    this.#entries.set(id, entry)
    this.#keys.set(id, key)
    kept!.used.set(key, stored)
    return true
  }

  /** Byte length of the `index`-th fragment of an article. */
  length(id: string, index: number): number {
    return this.#entry(id, index)[index + 1]!
  }

  /** Appends an article's fragments; `key` keeps them for later builds when there is a cache. */
  put(id: string, fragments: readonly Uint8Array[], key?: string): void {
    const start = this.#end
    const entry = [start]
    for (const fragment of fragments) entry.push(fragment.byteLength)
    // One write an article, not one a fragment: a cold build puts five for each.
    const bytes = Buffer.concat(fragments)
    writeFully(this.#fd, bytes, start)
    this.#end += bytes.byteLength
    this.#entries.set(id, entry)
    if (key === undefined) this.#keys.delete(id)
    else this.#keys.set(id, key)
    if (this.#kept && key !== undefined)
      this.#kept.used.set(key, [start, hashOf(bytes), ...entry.slice(1)])
  }

  /** The `index`-th fragment of an article, read back. */
  get(id: string, index: number): Uint8Array {
    const bytes = Buffer.allocUnsafe(this.length(id, index))
    this.readInto(id, index, bytes, 0)
    return bytes
  }

  /** Reads the `index`-th fragment of an article into `target` at `at`; returns its length. */
  readInto(id: string, index: number, target: Uint8Array, at: number): number {
    const entry = this.#entry(id, index)
    let offset = entry[0]!
    for (let k = 1; k <= index; k++) offset += entry[k]!
    const length = entry[index + 1]!
    this.#read(target, at, length, offset)
    return length
  }

  #read(target: Uint8Array, at: number, length: number, offset: number): void {
    if (readFully(this.#fd, target, at, length, offset) < length) {
      throw new Error('[prerender] the fragment file ended early; the disk may be full')
    }
  }

  #entry(id: string, index: number): number[] {
    const entry = this.#entries.get(id)
    if (!entry || index + 1 >= entry.length) {
      throw new Error(`[prerender] no fragment ${index} of ${id}: fragments are put before use`)
    }
    return entry
  }

  /**
   * Ends the build's use of the file: a scratch file goes; a kept one gets
   * the index of what this build used (written afresh first when mostly
   * unused), and the lock is released.
   */
  close(): void {
    const kept = this.#kept
    try {
      if (kept) this.#keep(kept)
    } finally {
      closeSync(this.#fd)
      this.#entries.clear()
      this.#keys.clear()
      if (kept) rmSync(join(kept.cache.folder, 'lock'), { force: true })
    }
  }

  #keep(kept: Kept): void {
    const { folder, settings } = kept.cache
    let data = kept.data
    let entries = Object.fromEntries(kept.used)
    let stamp: FileStamp | undefined
    let live = 0
    for (const [, , ...lengths] of kept.used.values()) for (const length of lengths) live += length
    if (this.#end > 2 * live) {
      // Mostly fragments no build uses any more: copy the used ones into a new file.
      data = dataName(kept.data)
      const fd = openSync(join(folder, data), 'w')
      try {
        let end = 0
        entries = {}
        for (const [key, [start, hash, ...lengths]] of kept.used) {
          const total = lengths.reduce((sum, length) => sum + length, 0)
          const bytes = Buffer.allocUnsafe(total)
          this.#read(bytes, 0, total, start)
          writeFully(fd, bytes, end)
          entries[key] = [end, hash, ...lengths]
          end += total
        }
        stamp = stampOf(fd)
      } finally {
        closeSync(fd)
      }
    } else {
      stamp = stampOf(this.#fd)
    }
    writeIndex(folder, { format: FORMAT, settings, data, ...(stamp ? { stamp } : {}), entries })
    if (data !== kept.data) rmSync(join(folder, kept.data), { force: true })
  }
}
