import { DOCUMENTS_PREFIX, type DocumentRef, documentPath } from '../../contract/site-index.ts'
import { hashParts } from '../compile-cache.ts'
import { etagOf } from './etag.ts'
import { type PackSource, packFile } from './pack-file.ts'

/**
 * Where prerendered bytes go: documents named by their ETag (so a document
 * that is the same in two views is stored once), and packs. The sink writes
 * a file of the static assets; the build writes to disk, tests keep a Map.
 */

/** Writes one static asset, by its path under the assets folder. */
export type AssetSink = (path: string, bytes: Uint8Array) => void

const encoder = new TextEncoder()

function bytesOf(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? encoder.encode(text) : text
}

/** Whole seconds of an RFC 3339 date or ms instant, as Last-Modified carries them. */
export function secondsOf(date: string | number | Date | undefined): number | undefined {
  if (date === undefined) return undefined
  const ms =
    date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date)
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined
}

/** A document before it is stored: text (or its UTF-8 bytes), media type, and what dates it. */
export interface DocumentInput {
  text: string | Uint8Array
  type: string
  modified?: string | number | Date | undefined
}

/**
 * A page of a pack made only when the pack cannot be kept from an earlier
 * build: `key` stands for everything its bytes follow from but the code and
 * the settings (the keeper's own key holds those), `type` is the media type
 * `render` gives.
 */
export interface KeyedInput {
  key: string
  type: string
  render: () => DocumentInput
}

/**
 * Files an earlier build wrote, put in place again instead of made: a
 * closed archive page never changes unless one of its items does, nor an
 * article page unless its article does, and most of a build's bytes and
 * time are theirs; a document named by its ETag is the same file whenever
 * its bytes are. See kept-assets.ts.
 */
export interface AssetKeeper {
  /** Puts the file kept for `key` at `path`; its size and largest document, or undefined. */
  reuse(path: string, key: string): { bytes: number; largest: number } | undefined
  /** Whether `reuse` would put a file at `path` for `key`, or this build has already. */
  canReuse(path: string, key: string): boolean
  /** Says this build wrote the file for `key` at `path`. */
  wrote(path: string, key: string, bytes: number, largest: number): void
  /** What the last build remembered of a scope under `key` (see scope-memo.ts). */
  recallScope(name: string, key: string): KeptScope | undefined
  /** Remembers a scope for the next build. */
  rememberScope(name: string, scope: KeptScope): void
}

/** A file a part of the prerender made or kept: its path and its key (a document's: its ETag). */
export type KeyedFile = [path: string, key: string]

/**
 * What a feed scope came to in a build (see scope-memo.ts): what it gave the
 * site index, and every file it made or kept, by the key it holds them under.
 */
export interface KeptScope {
  key: string
  value: unknown
  files: KeyedFile[]
}

type PackEntry = DocumentInput | KeyedInput | { movedTo: string }

/**
 * Where packs go. `written` is told the file's size and its largest
 * document once the file is written, which may be after `write` returns.
 * `handedOver`: documents' bytes made for this pack alone, which nothing
 * else refers to, so a writer on another thread may take them instead of
 * copying them (see pack-thread.ts); the caller does not read them again.
 */
export interface PackWriter {
  write(
    path: string,
    sources: PackSource[],
    written: (bytes: number, largest: number) => void,
    handedOver?: readonly Uint8Array[],
  ): void
}

/** Makes each pack on the calling thread and gives it to the sink. */
export function packWriterOver(sink: AssetSink): PackWriter {
  return {
    write(path, sources, written) {
      const { bytes, largest } = packFile(sources)
      sink(path, bytes)
      written(bytes.byteLength, largest)
    },
  }
}

export class DocumentStore {
  readonly types: string[] = []
  readonly #written = new Set<string>()
  /** The files of the part being recorded (see `record`); whether one had no key. */
  #recording: { files: Map<string, string>; unkeyed: boolean } | undefined
  readonly #sink: AssetSink
  readonly #keeper: AssetKeeper | undefined
  readonly #packs: PackWriter
  /** Bytes written, and the largest document. */
  bytes = 0
  largest = 0
  documents = 0

  /** Packs go to the sink too, unless `packs` takes them (see pack-thread.ts). */
  constructor(sink: AssetSink, keeper?: AssetKeeper, packs: PackWriter = packWriterOver(sink)) {
    this.#sink = sink
    this.#keeper = keeper
    this.#packs = packs
  }

  /** The keeper of files between builds, if there is one. */
  get keeper(): AssetKeeper | undefined {
    return this.#keeper
  }

  /**
   * Runs a part of the prerender and notes every file it makes or keeps,
   * documents included (a document another part made first too): the files
   * that part needs. `keyed` is false when one of them has no key (a pack of
   * pages made without one), so the part cannot be kept whole.
   */
  record<T>(part: () => T): { value: T; files: KeyedFile[]; keyed: boolean } {
    const outer = this.#recording
    const recording = { files: new Map<string, string>(), unkeyed: false }
    this.#recording = recording
    try {
      const value = part()
      return { value, files: [...recording.files], keyed: !recording.unkeyed }
    } finally {
      this.#recording = outer
      if (outer) {
        for (const [path, key] of recording.files) outer.files.set(path, key)
        outer.unkeyed ||= recording.unkeyed
      }
    }
  }

  /**
   * Puts a recorded part's files in place again instead of making them, all
   * or none: false, and nothing done, when one of them is not the file the
   * last build left (the caller then makes the part). The counts move as
   * making them would have moved them.
   */
  replay(files: readonly KeyedFile[]): boolean {
    const keeper = this.#keeper
    if (!keeper) return false
    for (const [path, key] of files)
      if (!this.#written.has(path) && !keeper.canReuse(path, key)) return false
    for (const [path, key] of files) {
      this.#recording?.files.set(path, key)
      if (this.#written.has(path)) continue
      const kept = keeper.reuse(path, key)
      if (!kept)
        throw new Error(
          `[prerender] ${path}: the last build's file changed while this build kept it. Build again`,
        )
      this.bytes += kept.bytes
      if (path.startsWith(DOCUMENTS_PREFIX)) {
        this.#written.add(path)
        this.documents++
        this.largest = Math.max(this.largest, kept.bytes)
      } else this.largest = Math.max(this.largest, kept.largest)
    }
    return true
  }

  /** The index of a media type in `types`. */
  typeOf(type: string): number {
    let index = this.types.indexOf(type)
    if (index < 0) index = this.types.push(type) - 1
    return index
  }

  /** Stores a document under DOCUMENTS_PREFIX and says where it is. */
  add(input: DocumentInput): DocumentRef {
    const bytes = bytesOf(input.text)
    const etag = etagOf(bytes)
    // An extension, so that no asset layer takes the name for a folder.
    const path = documentPath(etag)
    this.#recording?.files.set(path, etag)
    if (!this.#written.has(path)) {
      this.#written.add(path)
      // Named by its ETag, so the last build's file at this path holds these very bytes: kept,
      // not written again. Most of a build's documents (every scope's feeds and their pages)
      // come out the same after one edit: 400 MB at 100,000 articles.
      if (!this.#keeper?.reuse(path, etag)) {
        this.#sink(path, bytes)
        this.#keeper?.wrote(path, etag, bytes.byteLength, 0)
      }
      this.bytes += bytes.byteLength
      this.documents++
    }
    this.largest = Math.max(this.largest, bytes.byteLength)
    const modified = secondsOf(input.modified)
    return {
      path,
      etag,
      ...(modified === undefined ? {} : { modified }),
      type: this.typeOf(input.type),
    }
  }

  /**
   * Writes a file that is not a document of the index (a plain article
   * page), made by `render` unless an earlier build's is kept for `key`.
   */
  writeKeyed(path: string, key: string, render: () => Uint8Array): void {
    this.#recording?.files.set(path, key)
    if (this.#keeper?.reuse(path, key)) return
    const bytes = render()
    this.#sink(path, bytes)
    this.#keeper?.wrote(path, key, bytes.byteLength, 0)
  }

  /**
   * The key of a pack whose every entry is keyed: its path, and each entry's
   * name, key and media type (as an index of `types`, which the pack's
   * directory holds). Registers the types in entry order either way, so that
   * a kept pack leaves `types` as a made one does.
   */
  #packKey(path: string, entries: ReadonlyMap<string, PackEntry>): string | undefined {
    const parts = [path]
    let keyed = true
    for (const [name, entry] of entries) {
      if ('movedTo' in entry) parts.push(`${name} moved to ${entry.movedTo}`)
      else if ('key' in entry) parts.push(`${name} ${entry.key} ${this.typeOf(entry.type)}`)
      else {
        this.typeOf(entry.type)
        keyed = false
      }
    }
    return keyed ? hashParts(...parts) : undefined
  }

  /** Writes a pack of documents (and moved slugs) at `path`, or keeps an earlier build's. */
  writePack(path: string, entries: ReadonlyMap<string, PackEntry>): void {
    const key = this.#keeper ? this.#packKey(path, entries) : undefined
    if (this.#recording) {
      if (key === undefined) this.#recording.unkeyed = true
      else this.#recording.files.set(path, key)
    }
    const kept = key === undefined ? undefined : this.#keeper!.reuse(path, key)
    if (kept) {
      this.bytes += kept.bytes
      this.largest = Math.max(this.largest, kept.largest)
      return
    }
    const sources: PackSource[] = []
    const handedOver: Uint8Array[] = []
    for (const [name, entry] of entries) {
      if ('movedTo' in entry) {
        sources.push({ name, movedTo: entry.movedTo })
        continue
      }
      const input = 'key' in entry ? entry.render() : entry
      if (input.type !== entry.type) {
        throw new Error(
          `[prerender] ${path}#${name}: rendered as ${input.type}, keyed as ${entry.type}`,
        )
      }
      // Rendered here, for this pack: the only reference to its bytes is the source's.
      if ('key' in entry && typeof input.text !== 'string') handedOver.push(input.text)
      const modified = secondsOf(input.modified) ?? -1
      sources.push({ name, text: input.text, modified, type: this.typeOf(input.type) })
    }
    this.#packs.write(
      path,
      sources,
      (bytes, largest) => {
        this.bytes += bytes
        this.largest = Math.max(this.largest, largest)
        if (key !== undefined) this.#keeper!.wrote(path, key, bytes, largest)
      },
      handedOver,
    )
  }
}
