import { createHash } from 'node:crypto'
import { PACK_MAGIC, type PackDirectory } from '../../contract/pack.ts'
import { type DocumentRef, documentPath } from '../../contract/site-index.ts'

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

/** Strong ETag of some bytes: 27 characters of base64url SHA-256, quoted. */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
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

export class DocumentStore {
  readonly types: string[] = []
  readonly #written = new Set<string>()
  readonly #sink: AssetSink
  /** Bytes written, and the largest document. */
  bytes = 0
  largest = 0
  documents = 0

  constructor(sink: AssetSink) {
    this.#sink = sink
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
    if (!this.#written.has(path)) {
      this.#written.add(path)
      this.#sink(path, bytes)
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

  /** Writes a pack of documents (and moved slugs) at `path`. */
  writePack(path: string, entries: ReadonlyMap<string, DocumentInput | { movedTo: string }>): void {
    const directory: PackDirectory = {}
    const bodies: Uint8Array[] = []
    let offset = 0
    for (const [name, entry] of entries) {
      if ('movedTo' in entry) {
        directory[name] = [entry.movedTo]
        continue
      }
      const bytes = bytesOf(entry.text)
      this.largest = Math.max(this.largest, bytes.byteLength)
      directory[name] = [
        offset,
        bytes.byteLength,
        etagOf(bytes),
        secondsOf(entry.modified) ?? -1,
        this.typeOf(entry.type),
      ]
      bodies.push(bytes)
      offset += bytes.byteLength
    }
    const header = encoder.encode(JSON.stringify(directory))
    const first = encoder.encode(`${PACK_MAGIC} ${header.byteLength}\n`)
    const pack = new Uint8Array(first.byteLength + header.byteLength + offset)
    pack.set(first, 0)
    pack.set(header, first.byteLength)
    let at = first.byteLength + header.byteLength
    for (const body of bodies) {
      pack.set(body, at)
      at += body.byteLength
    }
    this.#sink(path, pack)
    this.bytes += pack.byteLength
  }
}
