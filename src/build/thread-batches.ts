import { parentPort } from 'node:worker_threads'
import type { BatchReply, BatchRequest } from './thread-pool.ts'

/**
 * The thread side of a ThreadPool (thread-pool.ts): answers every batch the
 * pool sends with `work` applied to each job, in order, or with the error
 * that stopped it; `afterBatch` runs once a batch is done, either way (the
 * pool may end the thread at any time after its last reply).
 */
export function answerBatches<Job, Result>(
  work: (job: Job) => Result,
  afterBatch?: () => void,
): void {
  parentPort!.on('message', ({ batch, jobs }: BatchRequest<Job>) => {
    let reply: BatchReply<Result>
    try {
      reply = { batch, results: jobs.map(work) }
    } catch (error) {
      reply = {
        batch,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }
    } finally {
      afterBatch?.()
    }
    parentPort!.postMessage(reply)
  })
}
