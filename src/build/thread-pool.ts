import { Worker } from 'node:worker_threads'

/**
 * Worker threads that run one pure step of the content build over many
 * inputs, so a large folder uses every core: compiling article files
 * (compile-worker.ts) and rendering item fragments (prerender/
 * fragment-worker.ts). Jobs go out in small batches to whichever thread is
 * free; results come back in the order the jobs were given. A thread module
 * answers with answerBatches (thread-batches.ts).
 */

/** Jobs per message: enough to amortise the message, few enough to share the work evenly. */
const BATCH = 16
/** Batches a thread holds at once, so it keeps working while the main thread prepares the next. */
const IN_FLIGHT = 4

/** What a thread gets and sends back. */
export interface BatchRequest<Job> {
  batch: number
  jobs: Job[]
}
export type BatchReply<Result> =
  | { batch: number; results: Result[] }
  | { batch: number; error: string }

interface Batch<Job, Result> {
  id: number
  jobs: Job[]
  resolve: (results: Result[]) => void
  reject: (error: Error) => void
}

interface Thread<Job, Result> {
  worker: Worker
  busy: Map<number, Batch<Job, Result>>
}

export class ThreadPool<Job, Result> {
  private readonly threads: Thread<Job, Result>[] = []
  private readonly queue: Batch<Job, Result>[] = []
  private nextId = 0
  private failure: Error | undefined
  private readonly describe: (job: Job) => string
  private readonly batch: number

  /**
   * Starts `size` threads of the module at `path`, each given `workerData`;
   * `describe` names a job in the error when one fails (`compiling a.md`).
   * `batch`: jobs per message (BATCH); a step whose jobs each take a few
   * microseconds sends more, so a thread has work while the main thread is busy.
   */
  constructor(
    path: string,
    size: number,
    workerData: unknown,
    describe: (job: Job) => string,
    batch = BATCH,
  ) {
    this.describe = describe
    this.batch = batch
    for (let index = 0; index < size; index++) {
      const worker = new Worker(path, { workerData })
      const thread: Thread<Job, Result> = { worker, busy: new Map() }
      worker.on('message', (reply: BatchReply<Result>) => this.settle(thread, reply))
      worker.on('error', (error: unknown) =>
        this.fail(error instanceof Error ? error : new Error(String(error))),
      )
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a build thread stopped with exit code ${code}`))
      })
      this.threads.push(thread)
    }
  }

  /** Runs the jobs on the pool's threads; the results are in the jobs' order. */
  async run(jobs: readonly Job[]): Promise<Result[]> {
    const batches: Promise<Result[]>[] = []
    for (let start = 0; start < jobs.length; start += this.batch) {
      const slice = jobs.slice(start, start + this.batch)
      batches.push(
        new Promise((resolve, reject) => {
          if (this.failure) return reject(this.failure)
          this.queue.push({ id: this.nextId++, jobs: slice, resolve, reject })
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
        const request: BatchRequest<Job> = { batch: batch.id, jobs: batch.jobs }
        thread.worker.postMessage(request)
      }
    }
  }

  private settle(thread: Thread<Job, Result>, reply: BatchReply<Result>): void {
    const batch = thread.busy.get(reply.batch)
    if (!batch) return
    thread.busy.delete(reply.batch)
    if ('error' in reply) {
      const first = batch.jobs[0]
      this.fail(new Error(`${first ? this.describe(first) : 'a job'} failed: ${reply.error}`))
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
