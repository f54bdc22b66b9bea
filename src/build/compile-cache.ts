import { createHash } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomically } from './atomic-file.ts'
import {
  compactSegments,
  type EntryAt,
  isEntryAt,
  removeCompacted,
  rewriteEntry,
  SegmentReader,
  SegmentWriter,
} from './cache-segments.ts'
import type { CompiledFile } from './content/compile-content.ts'
import { readFully } from './file-ranges.ts'
import type { FileStamp } from './file-stamp.ts'
import { digestOfHtml } from './html-digest.ts'

export type { EntryAt } from './cache-segments.ts'

/**
 * The build cache: every article compiled once. An entry is the result of
 * the per-file phase (a CompiledFile), stored under a key that hashes
 * everything that result depends on — the file's path and bytes, the code
 * version (compile-code-version.ts) and the settings of the compile (the
 * taxonomy) — so a changed input is a different key, never a stale entry.
 *
 * There is one cache per seeds folder (`<cache>/content/<folder>/`, the
 * folder's real path hashed). Its manifest records, file by file, what the
 * last build saw and where the file's entry is; the entries are appended to
 * segment files, many to a file (see cache-segments.ts). Each entry carries
 * its key and a SHA-256 of its body: an entry that is cut short, edited,
 * looked for at the wrong place or written by another version is ignored
 * and compiled again, never trusted. Deleting the cache folder changes
 * nothing but time.
 *
 * An entry is a header line, the result as JSON without the article's HTML,
 * then the HTML's UTF-8 bytes. A warm build checks and parses the header
 * and the JSON only (a tenth of the bytes; one read of the first 8 KB
 * holds them for almost every article), and leaves the HTML where it is
 * until something asks for it (see html-store.ts); the header holds the HTML's
 * digest, which is checked on every read of it (`readEntryHtml`), and by
 * which pages and items made from it are kept between builds.
 */

/** Changes when the entry or manifest layout changes; older entries are then ignored. */
const FORMAT = 'compile-cache 3'

/** Bytes read first from an entry: its header and the metadata of most articles. */
const FIRST_READ = 8 * 1024

/** The hex SHA-256 of the given parts, each ended by a newline so no two lists hash alike. */
export function hashParts(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256')
  // Text parts are joined before they are hashed, the same bytes in one call instead of two
  // calls a part: a key of a hundred parts (an archive page's) in a third of the time.
  let text = ''
  for (const part of parts) {
    if (typeof part === 'string') {
      text += `${part}\n`
      continue
    }
    hash.update(text).update(part).update('\n')
    text = ''
  }
  return hash.update(text).digest('hex')
}

/** The key of a file's compile result. `settings` is a hash of the code version and settings. */
export function entryKey(settings: string, path: string, bytesHash: string): string {
  return hashParts(FORMAT, settings, path, bytesHash)
}

/** Where an entry keeps its article's HTML, and what it must be. */
export interface EntryHtml {
  /** The entry file. */
  path: string
  /** Where the HTML's UTF-8 bytes begin in it, and how many there are. */
  offset: number
  bytes: number
  /** Its length in UTF-16 units. */
  length: number
  /** digestOfHtml of the bytes. */
  digest: string
}

/**
 * An entry as read and checked (its format, key, lengths and integrity
 * hash), before its JSON is parsed: the JSON's text, and where its HTML is
 * when it holds one. Plain data, so a thread can read entries for the main
 * thread (see cache-reader-worker.ts).
 */
export interface CheckedEntry {
  json: string
  html?: EntryHtml
}

/**
 * A result taken from the cache, or just stored in it: the compiled file
 * with its article's HTML not read yet, and where its entry is.
 */
export interface CachedFile {
  compiled: CompiledFile
  entry: EntryAt
  html?: EntryHtml
}

/**
 * The HTML an entry keeps, read now; undefined when the entry is gone or its
 * bytes are not the ones its header names (the caller compiles again).
 */
export function readEntryHtml(html: EntryHtml): string | undefined {
  let fd: number
  try {
    fd = openSync(html.path, 'r')
  } catch {
    return undefined
  }
  try {
    const bytes = Buffer.allocUnsafe(html.bytes)
    if (readFully(fd, bytes, 0, html.bytes, html.offset) < html.bytes) return undefined
    return digestOfHtml(bytes) === html.digest ? bytes.toString('utf8') : undefined
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** How a file looked when it was last read, to skip reading it again when it has not changed. */
export interface SeenFile extends FileStamp {
  /** The entry key it had under the settings of that build (its bytes' hash among its parts). */
  key: string
  /** Where its entry is; absent when it could not be stored. */
  entry?: EntryAt
}

/** What the last build of a folder saw, file by file. */
export interface Manifest {
  format: string
  /** The seeds folder, so the cache of a folder that no longer exists can be removed. */
  seeds: string
  /** When that build began to look at the files (ms since the epoch). */
  scanned: number
  /**
   * The hash of the code and settings its keys were made under (see
   * entryKey): a build under the same takes an unchanged file's key as it was.
   */
  settings?: string
  files: Record<string, SeenFile>
}

/**
 * The folder of one seeds folder's cache (its real path hashed): compile
 * entries, and what later steps of the build keep (the prerender's fragments).
 */
export function seedsCacheFolder(cacheRoot: string, seedsRealPath: string): string {
  return join(cacheRoot, 'content', hashParts(seedsRealPath).slice(0, 16))
}

/**
 * A checked entry (CompileCache.readChecked) parsed: the cached result, if
 * its JSON is about `file` and holds the HTML the entry's header says it
 * does; otherwise undefined, and the caller compiles the file.
 */
export function parseEntry(
  file: string,
  at: EntryAt,
  checked: CheckedEntry,
): CachedFile | undefined {
  let compiled: CompiledFile
  try {
    compiled = JSON.parse(checked.json) as CompiledFile
  } catch {
    return undefined
  }
  if (compiled.file !== file || !Array.isArray(compiled.problems)) return undefined
  // The article's HTML was written as a placeholder (0) where it belongs among its keys.
  const holdsHtml = compiled.article !== undefined && 'contentHtml' in compiled.article
  if (holdsHtml !== (checked.html !== undefined)) return undefined
  return checked.html ? { compiled, entry: at, html: checked.html } : { compiled, entry: at }
}

/** The cache of one seeds folder. */
export class CompileCache {
  readonly folder: string
  /** Where the entries are (see cache-segments.ts). */
  readonly segments: string
  readonly #reader: SegmentReader

  constructor(cacheRoot: string, seedsRealPath: string) {
    this.folder = seedsCacheFolder(cacheRoot, seedsRealPath)
    this.segments = join(this.folder, 'segments')
    this.#reader = new SegmentReader(this.segments)
  }

  /**
   * The entry at `at`, read and checked but not parsed (parseEntry then
   * checks it is about the file), if it is whole and is the one stored under
   * `key`; otherwise undefined, and the caller compiles the file. The
   * article's HTML is not read: `html` says where it is, and what it must be.
   */
  readChecked(key: string, at: EntryAt): CheckedEntry | undefined {
    if (!isEntryAt(at)) return undefined
    const wanted = Math.min(at.size, FIRST_READ)
    const head = this.#reader.view(at, wanted)
    if (head.length < wanted) return undefined
    // Line 1: the format, the key, the body's integrity hash, and the lengths of its two parts
    // with the HTML's digest; then the JSON, then the HTML. The JSON is hashed as the bytes
    // read, as the writer hashed them; the HTML is checked against its digest when it is read.
    const newline = head.indexOf(10)
    if (newline < 0) return undefined
    const header = head.toString('utf8', 0, newline)
    const [format, storedKey, integrity, jsonBytes, htmlBytes, htmlLength, htmlDigest] =
      header.split('\t')
    const json = Number(jsonBytes)
    const html = Number(htmlBytes)
    const length = Number(htmlLength)
    if (
      format !== FORMAT ||
      storedKey !== key ||
      !(Number.isSafeInteger(json) && json >= 0) ||
      !(Number.isSafeInteger(html) && html >= 0) ||
      !(Number.isSafeInteger(length) && length >= 0) ||
      htmlDigest === undefined ||
      at.size !== newline + 1 + json + html
    )
      return undefined
    let body = head
    if (newline + 1 + json > head.length) {
      // The view of `head` is spent: only where its line ended is used from here on.
      body = this.#reader.view(at, at.size)
      if (body.length < at.size) return undefined
    }
    const jsonPart = body.subarray(newline + 1, newline + 1 + json)
    if (integrity !== hashParts(key, `${html}\t${length}\t${htmlDigest}`, jsonPart))
      return undefined
    const text = jsonPart.toString('utf8')
    if (htmlDigest === '-') return { json: text }
    const where = {
      path: this.#segmentPath(at.segment),
      offset: at.offset + newline + 1 + json,
      bytes: html,
      length,
      digest: htmlDigest,
    }
    return { json: text, html: where }
  }

  /** The last segment's path, for the entries that follow it there: a string less an article. */
  #lastSegment: { name: string; path: string } | undefined

  #segmentPath(name: string): string {
    if (this.#lastSegment?.name !== name)
      this.#lastSegment = { name, path: join(this.segments, name) }
    return this.#lastSegment.path
  }

  /** Closes what reading entries kept open; reading again opens it again. */
  endReads(): void {
    this.#reader.close()
  }

  /**
   * A writer that stores compile results in a new segment, each whole or not
   * at all: a result it could not store costs a compile next time, nothing
   * else. Close it when done.
   */
  writer(): EntryWriter {
    return new EntryWriter(this.segments)
  }

  /**
   * Writes an entry again where it is, from the result it was made from: a
   * compile gives the same bytes again, so a damaged entry is mended in
   * place and the manifest, which names where it is, stays true.
   */
  mend(at: EntryAt, key: string, compiled: CompiledFile): void {
    // What the reader read ahead may hold the damaged bytes.
    this.#reader.close()
    if (isEntryAt(at)) rewriteEntry(this.segments, at, encodeEntry(key, compiled).bytes)
  }

  /** Segments compaction emptied, removed once a manifest that names none of them is written. */
  #emptied: string[] = []

  /**
   * Before a build reads the cache: finds the segments the last manifest no
   * longer uses and copies the live entries out of mostly unused ones (see
   * compactSegments). Returns the manifest with the entries' new places; the
   * old segments go when the build writes its manifest (`writeManifest`), so
   * a build that compacts writes it once, as any other does: until then the
   * manifest on disk still names them, and they must stay.
   */
  async compact(manifest: Manifest): Promise<Manifest> {
    // Read where they are, rather than copied into a list of 100,000 pairs.
    const live = {
      *[Symbol.iterator](): Generator<[string, EntryAt]> {
        for (const path in manifest.files) {
          const entry = manifest.files[path]?.entry
          if (isEntryAt(entry)) yield [path, entry]
        }
      },
    }
    // Without a manifest, segments are an unfinished build's (or another format's) once a day old.
    const settled = manifest.scanned || Date.now() - UNFINISHED_AFTER_MS
    const { moved, emptied } = compactSegments(this.segments, live, settled)
    // Entries had a file each before segments; a cache of that layout is read no more.
    await rm(join(this.folder, 'entries'), { recursive: true, force: true })
    this.#emptied = emptied
    if (moved.size === 0) return manifest
    const files = { ...manifest.files }
    for (const [path, entry] of moved) files[path] = { ...files[path]!, entry }
    return { ...manifest, files }
  }

  /** The last build's manifest of this folder; empty when there is none or it is unreadable. */
  async readManifest(seeds: string): Promise<Manifest> {
    const empty: Manifest = { format: FORMAT, seeds, scanned: 0, files: {} }
    const text = await readFile(join(this.folder, 'manifest.json'), 'utf8').catch(() => undefined)
    if (text === undefined) return empty
    try {
      const manifest = JSON.parse(text) as Manifest
      const valid =
        manifest.format === FORMAT &&
        manifest.seeds === seeds &&
        typeof manifest.scanned === 'number' &&
        typeof manifest.files === 'object' &&
        manifest.files !== null
      return valid ? manifest : empty
    } catch {
      return empty
    }
  }

  /**
   * Writes the manifest, which must name where each entry is now (after
   * `compact`), and then removes the segments compaction emptied.
   */
  async writeManifest(manifest: Manifest): Promise<void> {
    await writeFileAtomically(join(this.folder, 'manifest.json'), JSON.stringify(manifest))
    removeCompacted(this.segments, this.#emptied)
    this.#emptied = []
  }
}

/**
 * Stores compile results in a new segment (see SegmentWriter). A stored
 * result comes back with its article's HTML left where it was written, as
 * a result read from the cache does, so the compile threads need not send it.
 */
export class EntryWriter {
  readonly #segments: SegmentWriter

  constructor(folder: string) {
    this.#segments = new SegmentWriter(folder)
  }

  /** Stores `compiled` under `key`: where, with the HTML as read would give it; or undefined. */
  store(key: string, compiled: CompiledFile): CachedFile | undefined {
    const encoded = encodeEntry(key, compiled)
    const entry = this.#segments.append(encoded.bytes)
    if (!entry) return undefined
    if (!encoded.html) return { compiled, entry }
    const html = {
      ...encoded.html,
      path: join(this.#segments.folder, entry.segment),
      offset: entry.offset + encoded.html.offset,
    }
    return { compiled: encoded.shape, entry, html }
  }

  close(): void {
    this.#segments.close()
  }
}

/**
 * An entry's bytes: the header line, the result as JSON with a placeholder
 * (0) for the article's HTML, then the HTML; and what read gives of them.
 */
function encodeEntry(
  key: string,
  compiled: CompiledFile,
): { bytes: Buffer; shape: CompiledFile; html?: Omit<EntryHtml, 'path'> } {
  const source = compiled.article?.contentHtml
  const html = source === undefined ? Buffer.alloc(0) : Buffer.from(source, 'utf8')
  const shape =
    source === undefined
      ? compiled
      : ({
          ...compiled,
          article: { ...compiled.article!, contentHtml: 0 },
        } as unknown as CompiledFile)
  const json = Buffer.from(JSON.stringify(shape), 'utf8')
  const digest = source === undefined ? '-' : digestOfHtml(html)
  const sizes = `${html.length}\t${source?.length ?? 0}\t${digest}`
  const header = Buffer.from(
    `${FORMAT}\t${key}\t${hashParts(key, sizes, json)}\t${json.length}\t${sizes}\n`,
    'utf8',
  )
  const bytes = Buffer.concat([header, json, html])
  if (source === undefined) return { bytes, shape }
  const at = header.length + json.length
  return { bytes, shape, html: { offset: at, bytes: html.length, length: source.length, digest } }
}

/** A cache with no manifest this long is left over from a build that never finished. */
const UNFINISHED_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * Removes the caches of seeds folders that no longer exist (a test's
 * temporary folder, a corpus since deleted), so the cache does not grow
 * with every folder ever built. A cache without a manifest may belong to a
 * build still running, so it goes only once it is a day old. `building`:
 * the cache of the folder being built, whose manifest is not read again
 * (20 MB at 100,000 articles).
 */
export async function removeOrphanCaches(
  cacheRoot: string,
  now: number,
  building?: string,
): Promise<void> {
  const root = join(cacheRoot, 'content')
  const folders = await readdir(root).catch(() => [] as string[])
  for (const name of folders) {
    const folder = join(root, name)
    if (folder === building) continue
    const text = await readFile(join(folder, 'manifest.json'), 'utf8').catch(() => undefined)
    let orphan: boolean
    if (text === undefined) {
      const changed = await stat(folder).then(
        (info) => info.mtimeMs,
        () => now,
      )
      orphan = now - changed > UNFINISHED_AFTER_MS
    } else {
      let seeds: unknown
      try {
        seeds = (JSON.parse(text) as Manifest).seeds
      } catch {
        seeds = undefined
      }
      orphan =
        typeof seeds !== 'string' ||
        !(await stat(seeds).then(
          () => true,
          () => false,
        ))
    }
    if (orphan) await rm(folder, { recursive: true, force: true })
  }
}
