/**
 * A worker thread of the content build (see compile-articles.ts): compiles
 * the batches of article files it is sent with the per-file phase and sends
 * back each result, in the batch's order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { compileFile, readTaxonomy, type SourceFile } from './content/compile-content.ts'

/** A batch of files to compile, and the answer. */
export interface CompileRequest {
  batch: number
  files: SourceFile[]
}
export type CompileReply =
  | { batch: number; results: ReturnType<typeof compileFile>[] }
  | { batch: number; error: string }

const { taxonomyFile } = workerData as { taxonomyFile?: SourceFile }
const { taxonomy } = readTaxonomy(taxonomyFile)

parentPort!.on('message', ({ batch, files }: CompileRequest) => {
  let reply: CompileReply
  try {
    reply = { batch, results: files.map((file) => compileFile(file, taxonomy)) }
  } catch (error) {
    reply = {
      batch,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }
  }
  parentPort!.postMessage(reply)
})
