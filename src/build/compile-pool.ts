import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { CompileReply } from './compile-worker.ts'
import type { CompiledFile, SourceFile } from './content/compile-content.ts'

/**
 * Worker threads that run the per-file phase of the content build, so a
 * large folder compiles on every core. Files go out in small batches to
 * whichever thread is free; results come back in the order they were given.
 */

/** Files per message: enough to amortise the message, few enough to share the work evenly. */
const BATCH = 16
/** Batches a thread holds at once, so it keeps working while the main thread reads the next files. */
const IN_FLIGHT = 4

const WORKER = fileURLToPath(new URL('./compile-worker.ts', import.meta.url).href)

interface Batch {
  id: number
  files: SourceFile[]
  resolve: (results: CompiledFile[]) => void
  reject: (error: Error) => void
}

interface Thread {
  worker: Worker
  busy: Map<number, Batch>
}

export class CompilePool {
  private readonly threads: Thread[] = []
  private readonly queue: Batch[] = []
  private nextId = 0
  private failure: Error | undefined

  constructor(size: number, taxonomyFile: SourceFile | undefined) {
    for (let index = 0; index < size; index++) {
      const worker = new Worker(WORKER, { workerData: { taxonomyFile } })
      const thread: Thread = { worker, busy: new Map() }
      worker.on('message', (reply: CompileReply) => this.settle(thread, reply))
      worker.on('error', (error: unknown) =>
        this.fail(error instanceof Error ? error : new Error(String(error))),
      )
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a compile thread stopped with exit code ${code}`))
      })
      this.threads.push(thread)
    }
  }

  /** Compiles the files on the pool's threads; the results are in the files' order. */
  async compile(files: readonly SourceFile[]): Promise<CompiledFile[]> {
    const batches: Promise<CompiledFile[]>[] = []
    for (let start = 0; start < files.length; start += BATCH) {
      const slice = files.slice(start, start + BATCH)
      batches.push(
        new Promise((resolve, reject) => {
          if (this.failure) return reject(this.failure)
          this.queue.push({ id: this.nextId++, files: slice, resolve, reject })
        }),
      )
    }
    this.dispatch()
    return (await Promise.all(batches)).flat()
  }

  /** Stops every thread; the pool cannot be used after. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()))
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      while (thread.busy.size < IN_FLIGHT && this.queue.length > 0) {
        const batch = this.queue.shift()!
        thread.busy.set(batch.id, batch)
        thread.worker.postMessage({ batch: batch.id, files: batch.files })
      }
    }
  }

  private settle(thread: Thread, reply: CompileReply): void {
    const batch = thread.busy.get(reply.batch)
    if (!batch) return
    thread.busy.delete(reply.batch)
    if ('error' in reply) {
      this.fail(new Error(`compiling ${batch.files[0]?.path ?? 'a file'} failed: ${reply.error}`))
      return
    }
    batch.resolve(reply.results)
    this.dispatch()
  }

  /** A thread that crashes fails every batch still waiting: the build stops with the error. */
  private fail(error: Error): void {
    this.failure ??= error
    for (const thread of this.threads) {
      for (const batch of thread.busy.values()) batch.reject(this.failure)
      thread.busy.clear()
    }
    for (const batch of this.queue.splice(0)) batch.reject(this.failure)
  }
}
