/**
 * The worker's one bounded cache: a map that forgets its oldest entries when
 * it holds more than a number of entries or of bytes. Keys can come from
 * clients (a URL, a Host header), so nothing in an isolate may grow without
 * bound; the byte bound keeps a crawler that fetches every document of a
 * large site within the isolate's memory (128 MB on Workers).
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; size: number }>()
  readonly #limit: number
  readonly #byteLimit: number
  #bytes = 0

  constructor(limit: number, byteLimit: number) {
    this.#limit = limit
    this.#byteLimit = byteLimit
  }

  get(key: string): V | undefined {
    return this.#entries.get(key)?.value
  }

  has(key: string): boolean {
    return this.#entries.has(key)
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#bytes -= entry.size
    this.#entries.delete(key)
  }

  /** Stores a value of `size` bytes, dropping the oldest entries to make room (never the new one). */
  set(key: string, value: V, size: number): void {
    this.delete(key)
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size < this.#limit && this.#bytes + size <= this.#byteLimit) break
      this.delete(oldest)
    }
    this.#entries.set(key, { value, size })
    this.#bytes += size
  }

  /** Entries and bytes held, for tests and the soak report. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes }
  }
}
