/**
 * A buffer reused from one read to the next, grown as needed. A warm build
 * reads every article's cache entry and kept fragments (100,000 of each at
 * the largest); a new buffer for each cost seconds of allocation and garbage
 * collection. What `take` returns is valid until its next call.
 */
export class ScratchBuffer {
  #buffer = Buffer.alloc(0)

  /** The first `size` bytes of the buffer, grown (at least doubled) to hold them. */
  take(size: number): Buffer {
    if (this.#buffer.byteLength < size) {
      this.#buffer = Buffer.allocUnsafe(Math.max(size, 2 * this.#buffer.byteLength, 64 * 1024))
    }
    return this.#buffer.subarray(0, size)
  }
}
