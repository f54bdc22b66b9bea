/**
 * A worker thread of the content build (see compile-articles.ts): compiles
 * the batches of article files it is sent with the per-file phase, stores
 * each result in the build cache under the key it came with (here rather
 * than on the main thread, which feeds every thread and was their
 * bottleneck), and sends back each result, in the batch's order.
 */
import { workerData } from 'node:worker_threads'
import type { CompileJob, CompileThreadData } from './compile-articles.ts'
import { CompileCache } from './compile-cache.ts'
import { compileFile, readTaxonomy } from './content/compile-content.ts'
import { answerBatches } from './thread-batches.ts'

const { taxonomyFile, cache: where } = workerData as CompileThreadData
const { taxonomy } = readTaxonomy(taxonomyFile)
const cache = where && new CompileCache(where.root, where.seeds)

answerBatches((job: CompileJob) => {
  const compiled = compileFile(job.file, taxonomy)
  if (cache && job.key) cache.store(job.key, compiled)
  return compiled
})
