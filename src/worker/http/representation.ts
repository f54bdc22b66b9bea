/**
 * A rendered response body with its validators. Each is made once per
 * content view, origin and route in an isolate, so hashing for the ETag is
 * paid once, not per request.
 */
export interface Representation {
  body: Uint8Array
  contentType: string
  /** Strong entity tag, quoted (RFC 9110 section 8.8.3). */
  etag: string
  /** HTTP-date (RFC 9110 section 5.6.7), or undefined when nothing dates the body. */
  lastModified?: string
  /** Same instant as lastModified, rounded down to whole seconds as HTTP-dates are. */
  lastModifiedSeconds?: number
}

const encoder = new TextEncoder()

function base64url(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Encodes a body and computes its strong ETag from the bytes themselves. */
export async function createRepresentation(
  text: string,
  contentType: string,
  lastModified?: Date,
): Promise<Representation> {
  const body = encoder.encode(text)
  const digest = await crypto.subtle.digest('SHA-256', body)
  const seconds = lastModified ? Math.floor(lastModified.getTime() / 1000) : undefined
  return {
    body,
    contentType,
    etag: `"${base64url(digest).slice(0, 27)}"`,
    ...(seconds === undefined
      ? {}
      : { lastModified: new Date(seconds * 1000).toUTCString(), lastModifiedSeconds: seconds }),
  }
}

/**
 * A bounded memo of representations. With no base URL configured the origin
 * comes from the request, so the key space is in clients' hands; the bounds —
 * a number of entries and a number of body bytes — keep a flood of Host
 * headers, or a crawler fetching every feed of a large site, from taking the
 * isolate past its memory limit (128 MB on Workers).
 */
export class RepresentationCache {
  readonly #entries = new Map<string, Promise<Representation>>()
  readonly #sizes = new Map<string, number>()
  readonly #limit: number
  readonly #byteLimit: number
  #bytes = 0

  constructor(limit = 1000, byteLimit = 24 * 1024 * 1024) {
    this.#limit = limit
    this.#byteLimit = byteLimit
  }

  #delete(key: string): void {
    this.#entries.delete(key)
    this.#bytes -= this.#sizes.get(key) ?? 0
    this.#sizes.delete(key)
  }

  /** Returns the cached representation for key, making it with `make` on a miss. */
  get(key: string, make: () => Promise<Representation>): Promise<Representation> {
    const hit = this.#entries.get(key)
    if (hit) return hit
    if (this.#entries.size >= this.#limit) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#delete(oldest)
    }
    const made = make()
    this.#entries.set(key, made)
    made.then(
      (representation) => {
        if (this.#entries.get(key) !== made) return
        this.#sizes.set(key, representation.body.byteLength)
        this.#bytes += representation.body.byteLength
        // Oldest first, but never the one just made: it is being served.
        for (const oldest of this.#entries.keys()) {
          if (this.#bytes <= this.#byteLimit || oldest === key) break
          this.#delete(oldest)
        }
      },
      () => this.#delete(key),
    )
    return made
  }
}
