import { Buffer } from 'node:buffer'
import { zstdDecompressSync } from 'node:zlib'
import { ORIGIN_PLACEHOLDER } from '../contract/compiled.ts'
import { hashSlug, PACK_MAGIC, type PackDirectory, packLayout } from '../contract/pack.ts'
import type { DocumentRef, SiteIndex } from '../contract/site-index.ts'
import { frameContentSize } from '../contract/zstd-frame.ts'
import { BoundedCache } from './http/bounded-cache.ts'
import { lastModifiedAt, type Representation } from './http/representation.ts'

/**
 * Reading prerendered documents from the static assets: whole documents by
 * path, or one entry of a pack (see src/contract/pack.ts), inflated. Bytes
 * are final; the only other work is, when the build did not know the site's
 * origin, one pass that puts the request's origin where the placeholder is.
 */

/** Fetches one static asset by path, as the ASSETS binding does. */
export type FetchAsset = (path: string) => Promise<Response>

/** What a pack entry says: a document, or the slug an old slug moved to. */
export type PackEntry = { document: DocumentRef } | { movedTo: string }

const decoder = new TextDecoder()
const encoder = new TextEncoder()
const PLACEHOLDER_BYTES = encoder.encode(ORIGIN_PLACEHOLDER)

/** Bytes of raw assets kept in memory: documents and packs, shared by every origin. */
const RAW_BYTES = 8 * 1024 * 1024

/** A tag for the origin, to tell apart ETags of one document served on two origins. */
function originTag(origin: string): string {
  return hashSlug(origin).toString(36)
}

/**
 * A pack entry's document. Inflated on each read, not kept: the raw cache
 * holds the packs, and the response memo what was sent. Zstandard inflates
 * a 256 KB archive page in about a third of a millisecond.
 */
function inflate(body: Uint8Array): Uint8Array | undefined {
  const size = frameContentSize(body)
  if (size === undefined) return undefined
  try {
    const bytes = zstdDecompressSync(body)
    // node:zlib hands back what it could of a frame cut short (nodejs/node#64592).
    return bytes.byteLength === size ? bytes : undefined
  } catch {
    return undefined
  }
}

export class DocumentReader {
  readonly #index: SiteIndex
  readonly #raw = new BoundedCache<Promise<Uint8Array>>(200, RAW_BYTES)
  readonly #directories = new BoundedCache<PackDirectory>(200, 2 * 1024 * 1024)

  constructor(index: SiteIndex) {
    this.#index = index
  }

  /**
   * The bytes of an asset as the build wrote them; undefined when there is
   * none. Kept for later requests unless `fresh` (an asset that may change
   * under the worker: see SiteIndex.preview).
   */
  async raw(fetchAsset: FetchAsset, path: string, fresh = false): Promise<Uint8Array | undefined> {
    const known = fresh ? undefined : this.#raw.get(path)
    if (known) return known
    const response = await fetchAsset(path)
    if (!response.ok) {
      await response.body?.cancel()
      return undefined
    }
    const loading = response.arrayBuffer().then((buffer) => new Uint8Array(buffer))
    const bytes = await loading
    if (!fresh) this.#raw.set(path, loading, bytes.byteLength)
    return bytes
  }

  /** The ETag a document has on an origin. */
  etagFor(ref: DocumentRef, origin: string): string {
    return this.#index.placeholderOrigin
      ? `${ref.etag.slice(0, -1)}.${originTag(origin)}"`
      : ref.etag
  }

  /** Validators of a document, enough to answer a conditional request without reading it. */
  validators(ref: DocumentRef, origin: string): Representation {
    return {
      body: new Uint8Array(0),
      contentType: this.#index.types[ref.type] ?? 'application/octet-stream',
      etag: this.etagFor(ref, origin),
      ...lastModifiedAt(ref.modified),
    }
  }

  /**
   * Puts the origin into bytes written with the placeholder: one pass of the
   * runtime's native byte search, copying the bytes between matches.
   */
  withOrigin(bytes: Uint8Array, origin: string): Uint8Array {
    if (!this.#index.placeholderOrigin) return bytes
    const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let at = haystack.indexOf(PLACEHOLDER_BYTES)
    if (at < 0) return bytes
    const replacement = encoder.encode(origin)
    const parts: Uint8Array[] = []
    let start = 0
    while (at >= 0) {
      parts.push(bytes.subarray(start, at), replacement)
      start = at + PLACEHOLDER_BYTES.byteLength
      at = haystack.indexOf(PLACEHOLDER_BYTES, start)
    }
    parts.push(bytes.subarray(start))
    return Buffer.concat(parts)
  }

  /** A whole document, for an origin; undefined when the asset is missing (a broken deploy). */
  async read(
    fetchAsset: FetchAsset,
    ref: DocumentRef,
    origin: string,
  ): Promise<Representation | undefined> {
    const bytes = await this.raw(fetchAsset, ref.path)
    if (!bytes) return undefined
    return this.#represent(ref, bytes, origin)
  }

  #represent(ref: DocumentRef, bytes: Uint8Array, origin: string): Representation {
    return { ...this.validators(ref, origin), body: this.withOrigin(bytes, origin) }
  }

  /** The directory of a pack, and its bytes; read again if `fresh` (see raw). */
  async #pack(fetchAsset: FetchAsset, path: string, fresh: boolean) {
    const bytes = await this.raw(fetchAsset, path, fresh)
    if (!bytes) return undefined
    const layout = packLayout(bytes)
    if (!layout) {
      // Another build's pack, or one cut short (a broken deploy): as for a missing asset, log and 404.
      console.error(
        `[worker] ${path}: not a pack of this worker (${PACK_MAGIC}). Rebuild and deploy the worker with its assets`,
      )
      return undefined
    }
    let directory = fresh ? undefined : this.#directories.get(path)
    if (!directory) {
      const [from, to] = layout.directory
      directory = JSON.parse(decoder.decode(bytes.subarray(from, to))) as PackDirectory
      if (!fresh) this.#directories.set(path, directory, to - from)
    }
    return { bytes, directory, start: layout.start }
  }

  /**
   * An entry of a pack, by name, with its bytes as the pack holds them (a
   * Zstandard frame); the pack read again if `fresh` (see raw).
   */
  async entry(
    fetchAsset: FetchAsset,
    path: string,
    name: string,
    fresh = false,
  ): Promise<{ movedTo: string } | { ref: DocumentRef; bytes: Uint8Array } | undefined> {
    const pack = await this.#pack(fetchAsset, path, fresh)
    const entry = pack && Object.hasOwn(pack.directory, name) ? pack.directory[name] : undefined
    if (!entry || !pack) return undefined
    if (entry.length === 1) return { movedTo: entry[0] }
    const [offset, length, etag, modified, type] = entry
    const ref: DocumentRef = {
      path: `${path}#${name}`,
      etag,
      type,
      ...(modified >= 0 ? { modified } : {}),
    }
    return { ref, bytes: pack.bytes.subarray(pack.start + offset, pack.start + offset + length) }
  }

  /** A document of a pack, for an origin; the pack read again if `fresh` (see raw). */
  async readPacked(
    fetchAsset: FetchAsset,
    path: string,
    name: string,
    origin: string,
    fresh = false,
  ): Promise<Representation | { movedTo: string } | undefined> {
    const found = await this.entry(fetchAsset, path, name, fresh)
    if (!found || 'movedTo' in found) return found
    const bytes = inflate(found.bytes)
    if (!bytes) {
      // A pack the build did not write (a broken deploy): as for a missing asset, log and 404.
      console.error(
        `[worker] ${found.ref.path}: not a Zstandard frame. Rebuild and deploy the worker with its assets`,
      )
      return undefined
    }
    return this.#represent(found.ref, bytes, origin)
  }
}
