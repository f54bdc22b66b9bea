import { parentPort } from 'node:worker_threads'
import type { BatchReply, BatchRequest } from './thread-pool.ts'

/**
 * The thread side of a ThreadPool (thread-pool.ts): answers every batch the
 * pool sends with `work` applied to each job, in order, or with the error
 * that stopped it.
 */
export function answerBatches<Job, Result>(work: (job: Job) => Result): void {
  parentPort!.on('message', ({ batch, jobs }: BatchRequest<Job>) => {
    let reply: BatchReply<Result>
    try {
      reply = { batch, results: jobs.map(work) }
    } catch (error) {
      reply = {
        batch,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }
    }
    parentPort!.postMessage(reply)
  })
}
