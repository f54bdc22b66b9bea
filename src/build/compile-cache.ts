import { createHash } from 'node:crypto'
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { threadId } from 'node:worker_threads'
import type { CompiledFile } from './content/compile-content.ts'
import type { FileStamp } from './file-stamp.ts'
import { ScratchBuffer } from './scratch-buffer.ts'

/**
 * The build cache: every article compiled once. An entry is the result of
 * the per-file phase (a CompiledFile), stored under a key that hashes
 * everything that result depends on — the file's path and bytes, the code
 * version (compile-code-version.ts) and the settings of the compile (the
 * taxonomy) — so a changed input is a different key, never a stale entry.
 *
 * Entries are files under `<cache>/<folder>/entries/`, one cache per seeds
 * folder (`<folder>` hashes its real path), so a build can drop the entries
 * it no longer uses without reading anyone else's. Each entry carries its key
 * and a SHA-256 of its body: an entry that is cut short, edited, copied
 * under another name or written by another version is ignored and compiled
 * again, never trusted. Deleting the cache folder changes nothing but time.
 */

/** Changes when the entry or manifest layout changes; older entries are then ignored. */
const FORMAT = 'compile-cache 1'

/** The hex SHA-256 of the given parts, each ended by a newline so no two lists hash alike. */
export function hashParts(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\n')
  return hash.digest('hex')
}

/** The key of a file's compile result. `settings` is a hash of the code version and settings. */
export function entryKey(settings: string, path: string, bytesHash: string): string {
  return hashParts(FORMAT, settings, path, bytesHash)
}

/** How a file looked when it was last read, to skip reading it again when it has not changed. */
export interface SeenFile extends FileStamp {
  /** SHA-256 of the bytes read then. */
  bytesHash: string
  /** The entry key it had under the settings of that build. */
  key: string
}

/** What the last build of a folder saw, file by file. */
export interface Manifest {
  format: string
  /** The seeds folder, so the cache of a folder that no longer exists can be removed. */
  seeds: string
  /** When that build began to look at the files (ms since the epoch). */
  scanned: number
  files: Record<string, SeenFile>
}

/**
 * The folder of one seeds folder's cache (its real path hashed): compile
 * entries, and what later steps of the build keep (the prerender's fragments).
 */
export function seedsCacheFolder(cacheRoot: string, seedsRealPath: string): string {
  return join(cacheRoot, 'content', hashParts(seedsRealPath).slice(0, 16))
}

/** The cache of one seeds folder. */
export class CompileCache {
  readonly folder: string
  readonly #scratch = new ScratchBuffer()

  constructor(cacheRoot: string, seedsRealPath: string) {
    this.folder = seedsCacheFolder(cacheRoot, seedsRealPath)
  }

  private entryPath(key: string): string {
    return join(this.folder, 'entries', key.slice(0, 2), `${key}.json`)
  }

  /**
   * The entry stored under `key`, if it is whole, is the one asked for and is
   * about `file`; otherwise undefined, and the caller compiles the file.
   */
  read(key: string, file: string): CompiledFile | undefined {
    const bytes = this.#readEntry(this.entryPath(key))
    if (!bytes) return undefined
    // Line 1: the format, the key and the body's integrity hash; then the body. The body is
    // hashed as the bytes read: hashing its decoded text would encode it again (a gigabyte at
    // 100,000 articles), and the writer hashed the same UTF-8.
    const newline = bytes.indexOf(10)
    if (newline < 0) return undefined
    const [format, storedKey, integrity] = bytes.toString('utf8', 0, newline).split('\t')
    const body = bytes.subarray(newline + 1)
    if (format !== FORMAT || storedKey !== key || integrity !== hashParts(key, body)) {
      return undefined
    }
    try {
      const compiled = JSON.parse(body.toString('utf8')) as CompiledFile
      return compiled.file === file && Array.isArray(compiled.problems) ? compiled : undefined
    } catch {
      return undefined
    }
  }

  /** An entry's bytes, in the reused buffer (see scratch-buffer.ts): valid until the next read. */
  #readEntry(path: string): Buffer | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return undefined
    }
    try {
      const size = fstatSync(fd).size
      const buffer = this.#scratch.take(size)
      let read = 0
      while (read < size) {
        const got = readSync(fd, buffer, read, size - read, read)
        if (got === 0) break
        read += got
      }
      return buffer.subarray(0, read)
    } catch {
      return undefined
    } finally {
      closeSync(fd)
    }
  }

  /**
   * Stores a compile result under its key, whole or not at all; a failed
   * write costs a compile next time, nothing else. Synchronous: the compile
   * threads store their own results (compile-worker.ts), where waiting costs
   * nothing, and the main thread only the few it compiles itself.
   */
  store(key: string, compiled: CompiledFile): void {
    const path = this.entryPath(key)
    const temporary = `${path}.${process.pid}.${threadId}.tmp`
    try {
      const body = JSON.stringify(compiled)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(temporary, `${FORMAT}\t${key}\t${hashParts(key, body)}\n${body}`)
      renameSync(temporary, path)
    } catch {
      // The cache only saves time; a half-written temporary file is no entry, and goes if it can.
      try {
        rmSync(temporary, { force: true })
      } catch {}
    }
  }

  /** Removes the entries of keys no longer in use. */
  async forget(keys: Iterable<string>): Promise<void> {
    for (const key of keys) await rm(this.entryPath(key), { force: true })
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

  async writeManifest(manifest: Manifest): Promise<void> {
    const path = join(this.folder, 'manifest.json')
    await mkdir(this.folder, { recursive: true })
    const temporary = `${path}.${process.pid}.tmp`
    await writeFile(temporary, JSON.stringify(manifest))
    await rename(temporary, path)
  }
}

/** A cache with no manifest this long is left over from a build that never finished. */
const UNFINISHED_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * Removes the caches of seeds folders that no longer exist (a test's
 * temporary folder, a corpus since deleted), so the cache does not grow
 * with every folder ever built. A cache without a manifest may belong to a
 * build still running, so it goes only once it is a day old.
 */
export async function removeOrphanCaches(cacheRoot: string, now: number): Promise<void> {
  const root = join(cacheRoot, 'content')
  const folders = await readdir(root).catch(() => [] as string[])
  for (const name of folders) {
    const folder = join(root, name)
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
