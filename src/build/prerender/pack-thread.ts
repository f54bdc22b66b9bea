import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { PackWriter } from './document-store.ts'
import type { PackSource } from './pack-file.ts'

/**
 * Packs made and written on a thread of their own while the prerender goes
 * on (pack-thread-worker.ts). Compressing them is most of a cold build's
 * prerender work after rendering itself (12 GB at 100,000 articles, about a
 * minute of one core), and the prerender runs on one thread while the
 * machine has more. The prerender is synchronous, so it can wait without
 * yielding: it sends each pack with its size added to a shared count of
 * bytes in flight, and blocks (Atomics.wait) while that count is over
 * IN_FLIGHT_BYTES; the thread takes a pack's size off once its file is
 * written. The files are byte for byte those made on the prerender's thread
 * (test/build/prerender/pack-thread.test.ts).
 */

const WORKER = fileURLToPath(new URL('./pack-thread-worker.ts', import.meta.url).href)

/** Document bytes sent and not yet written: bounds the memory the thread's queue can hold. */
const IN_FLIGHT_BYTES = 64 * 1024 * 1024
/** A thread that takes nothing off in this long has stopped: the build fails rather than hang. */
const STALL_MS = 120_000

/** What the thread is sent, and what it answers for each pack. */
export interface PackJob {
  id: number
  path: string
  sources: PackSource[]
  size: number
}
export type PackReply =
  | { id: number; bytes: number; largest: number }
  | { id: number; error: string }

/** Slots of the shared counter: bytes in flight, and whether the thread has failed. */
export const IN_FLIGHT = 0
export const FAILED = 1

function sizeOf(sources: readonly PackSource[]): number {
  let size = 0
  for (const source of sources) {
    if ('text' in source) {
      size += typeof source.text === 'string' ? source.text.length : source.text.byteLength
    }
  }
  return size
}

/**
 * The buffers of handed-over bytes that can move to the thread instead of
 * being copied there: each one that holds exactly those bytes (a buffer
 * shared with other bytes, as Node's pool for small ones is, is copied with
 * the message). A cold build sends the thread most of its bytes (12 GB at
 * 100,000 articles); copied, each of them was copied twice, into the
 * message and out of it.
 */
function transferable(handedOver: readonly Uint8Array[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const bytes of handedOver) {
    const { buffer } = bytes
    if (
      buffer instanceof ArrayBuffer &&
      bytes.byteOffset === 0 &&
      bytes.byteLength === buffer.byteLength
    )
      buffers.add(buffer)
  }
  return [...buffers]
}

export class PackThread implements PackWriter {
  readonly #worker: Worker
  readonly #shared = new Int32Array(new SharedArrayBuffer(8))
  readonly #waiting = new Map<number, (bytes: number, largest: number) => void>()
  /** Wakes close() once nothing is waiting or the thread failed; set while it waits. */
  #drained: (() => void) | undefined
  #failure: Error | undefined
  #next = 0
  #closing = false
  /** Pack files written, their bytes, and their largest document. */
  files = 0
  bytes = 0
  largest = 0

  /** Writes packs under `folder` (the assets folder being made). */
  constructor(folder: string) {
    this.#worker = new Worker(WORKER, { workerData: { shared: this.#shared, folder } })
    this.#worker.on('message', (reply: PackReply) => this.#answer(reply))
    this.#worker.on('error', (error: unknown) =>
      this.#fail(error instanceof Error ? error : new Error(String(error))),
    )
    this.#worker.on('exit', (code) => {
      if (!this.#closing || this.#waiting.size > 0)
        this.#fail(new Error(`the pack thread stopped with exit code ${code}`))
    })
  }

  write(
    path: string,
    sources: PackSource[],
    written: (bytes: number, largest: number) => void,
    handedOver: readonly Uint8Array[] = [],
  ): void {
    this.#wait()
    const size = sizeOf(sources)
    const id = this.#next++
    this.#waiting.set(id, written)
    Atomics.add(this.#shared, IN_FLIGHT, size)
    const job: PackJob = { id, path, sources, size }
    this.#worker.postMessage(job, transferable(handedOver))
  }

  /** Waits until every pack is written; throws what stopped the thread, if anything did. */
  async close(): Promise<void> {
    this.#closing = true
    if (this.#waiting.size > 0 && !this.#failure) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve
      })
    }
    await this.#worker.terminate()
    if (this.#failure) throw this.#failure
  }

  /** Blocks while too many bytes are in flight, or throws when the thread failed or stalled. */
  #wait(): void {
    let stalledSince = Date.now()
    for (;;) {
      if (Atomics.load(this.#shared, FAILED) !== 0) {
        this.#fail(new Error('[prerender] the pack thread failed writing a pack'))
      }
      if (this.#failure) throw this.#failure
      const inFlight = Atomics.load(this.#shared, IN_FLIGHT)
      if (inFlight <= IN_FLIGHT_BYTES) return
      if (Atomics.wait(this.#shared, IN_FLIGHT, inFlight, 1000) !== 'timed-out') {
        stalledSince = Date.now()
      } else if (Date.now() - stalledSince > STALL_MS) {
        this.#fail(new Error(`[prerender] the pack thread wrote nothing in ${STALL_MS / 1000} s`))
      }
    }
  }

  #answer(reply: PackReply): void {
    const written = this.#waiting.get(reply.id)
    this.#waiting.delete(reply.id)
    if ('error' in reply) this.#fail(new Error(`[prerender] writing a pack: ${reply.error}`))
    else if (written) {
      this.files++
      this.bytes += reply.bytes
      this.largest = Math.max(this.largest, reply.largest)
      written(reply.bytes, reply.largest)
    }
    if (this.#waiting.size === 0) this.#drained?.()
  }

  #fail(error: Error): void {
    this.#failure ??= error
    this.#drained?.()
  }
}
