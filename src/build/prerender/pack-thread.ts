import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { assetFileWriter } from './asset-files.ts'
import type { PackWriter } from './document-store.ts'
import { type PackSource, packFile } from './pack-file.ts'

/**
 * Packs made and written on a thread of their own while the prerender goes
 * on (pack-thread-worker.ts). Compressing them is most of a cold build's
 * prerender work after rendering itself (12 GB at 100,000 articles, about a
 * minute of one core), and the prerender runs on one thread while the
 * machine has more. It sends each pack with its size added to a shared
 * count of bytes in flight, which the thread takes off once the pack's file
 * is written. While that count is over IN_FLIGHT_BYTES the thread is behind,
 * and the prerender makes and writes the pack itself instead of sending it:
 * the queue's memory stays bounded, and the two threads share the packs
 * rather than one waiting for the other (in a cold build the packs are more
 * work than the rest of the prerender; waiting for the thread had cost a
 * cold build at 10,000 articles about 2 s). The files are byte for byte
 * those made on the prerender's thread, wherever each pack is made
 * (test/build/prerender/pack-thread.test.ts).
 */

const WORKER = fileURLToPath(new URL('./pack-thread-worker.ts', import.meta.url).href)

/** Document bytes sent and not yet written: bounds the memory the thread's queue can hold. */
const IN_FLIGHT_BYTES = 64 * 1024 * 1024
/** A thread that writes nothing in this long has stopped: the build fails rather than hang. */
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
  readonly #writeAsset: (path: string, bytes: Uint8Array) => void
  readonly #inFlightBytes: number
  readonly #shared = new Int32Array(new SharedArrayBuffer(8))
  readonly #waiting = new Map<number, (bytes: number, largest: number) => void>()
  /** Wakes close() once nothing is waiting or the thread failed; set while it waits. */
  #drained: (() => void) | undefined
  #failure: Error | undefined
  #next = 0
  #closing = false
  /** When the thread last answered (ms), to tell a stopped thread at close. */
  #answered = Date.now()
  /** Pack files written, their bytes, and their largest document. */
  files = 0
  bytes = 0
  largest = 0
  /** Of those, the packs the prerender made itself while the thread was behind. */
  madeHere = 0

  /**
   * Writes packs under `folder` (the assets folder being made). `inFlightBytes`:
   * how far the thread may be behind (IN_FLIGHT_BYTES; tests set less).
   */
  constructor(folder: string, inFlightBytes = IN_FLIGHT_BYTES) {
    this.#writeAsset = assetFileWriter(folder)
    this.#inFlightBytes = inFlightBytes
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
    if (Atomics.load(this.#shared, FAILED) !== 0) {
      this.#fail(new Error('[prerender] the pack thread failed writing a pack'))
    }
    if (this.#failure) throw this.#failure
    if (Atomics.load(this.#shared, IN_FLIGHT) > this.#inFlightBytes) {
      // The thread is behind: this pack is made here, with the code the thread runs.
      const { bytes, largest } = packFile(sources)
      this.#writeAsset(path, bytes)
      this.madeHere++
      this.#count(bytes.byteLength, largest)
      written(bytes.byteLength, largest)
      return
    }
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
      this.#answered = Date.now()
      const stall = setInterval(() => {
        if (Date.now() - this.#answered > STALL_MS)
          this.#fail(new Error(`[prerender] the pack thread wrote nothing in ${STALL_MS / 1000} s`))
      }, 1000)
      await new Promise<void>((resolve) => {
        this.#drained = resolve
      }).finally(() => clearInterval(stall))
    }
    await this.#worker.terminate()
    if (this.#failure) throw this.#failure
  }

  #count(bytes: number, largest: number): void {
    this.files++
    this.bytes += bytes
    this.largest = Math.max(this.largest, largest)
  }

  #answer(reply: PackReply): void {
    this.#answered = Date.now()
    const written = this.#waiting.get(reply.id)
    this.#waiting.delete(reply.id)
    if ('error' in reply) this.#fail(new Error(`[prerender] writing a pack: ${reply.error}`))
    else if (written) {
      this.#count(reply.bytes, reply.largest)
      written(reply.bytes, reply.largest)
    }
    if (this.#waiting.size === 0) this.#drained?.()
  }

  #fail(error: Error): void {
    this.#failure ??= error
    this.#drained?.()
  }
}
