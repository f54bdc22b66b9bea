import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The item fragments of a build's articles, in a scratch file instead of
 * memory. Every feed document is joined from them, so each is kept for the
 * whole build; at 10,000 articles they are about 400 MB, at 100,000 about
 * 4 GB, more than a build may hold (2 GiB). In a file they sit in the
 * operating system's page cache, and a document's join reads its items back.
 * The file is removed as soon as it is open, so nothing is left behind even
 * when the build stops half way. It goes in the system's temporary folder
 * (TMPDIR), which needs room for it.
 */
export class FragmentFile {
  readonly #fd: number
  #end = 0
  /** Per article: where its fragments start, then each one's length. */
  readonly #entries = new Map<string, number[]>()

  constructor() {
    const folder = mkdtempSync(join(tmpdir(), 'edge-feed-fragments-'))
    const path = join(folder, 'fragments.bin')
    this.#fd = openSync(path, 'w+')
    rmSync(folder, { recursive: true, force: true })
  }

  has(id: string): boolean {
    return this.#entries.has(id)
  }

  /** Byte length of the `index`-th fragment of an article. */
  length(id: string, index: number): number {
    return this.#entry(id, index)[index + 1]!
  }

  put(id: string, fragments: readonly Uint8Array[]): void {
    const entry = [this.#end]
    for (const fragment of fragments) {
      let written = 0
      while (written < fragment.byteLength) {
        written += writeSync(
          this.#fd,
          fragment,
          written,
          fragment.byteLength - written,
          this.#end + written,
        )
      }
      this.#end += fragment.byteLength
      entry.push(fragment.byteLength)
    }
    this.#entries.set(id, entry)
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
    let read = 0
    while (read < length) {
      const got = readSync(this.#fd, target, at + read, length - read, offset + read)
      if (got === 0) {
        throw new Error('[prerender] the fragment file ended early; the disk may be full')
      }
      read += got
    }
    return length
  }

  #entry(id: string, index: number): number[] {
    const entry = this.#entries.get(id)
    if (!entry || index + 1 >= entry.length) {
      throw new Error(`[prerender] no fragment ${index} of ${id}: fragments are put before use`)
    }
    return entry
  }

  close(): void {
    closeSync(this.#fd)
    this.#entries.clear()
  }
}
