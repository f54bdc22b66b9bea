/**
 * A worker thread of the content build (see compile-articles.ts): compiles
 * the batches of article files it is sent with the per-file phase, stores
 * each result in the build cache under the key it came with (here rather
 * than on the main thread, which feeds every thread and was their
 * bottleneck), a segment per batch, and sends back each result, in the
 * batch's order: a stored one as the cache would give it, its article's HTML
 * left in the entry, so the HTML is not copied to the main thread.
 */
import { workerData } from 'node:worker_threads'
import type { CompileJob, CompileReply, CompileThreadData } from './compile-articles.ts'
import { CompileCache, type EntryWriter } from './compile-cache.ts'
import { compileFile, readTaxonomy } from './content/compile-content.ts'
import { answerBatches } from './thread-batches.ts'

const { taxonomyFile, media, cache: where } = workerData as CompileThreadData
const { taxonomy } = readTaxonomy(taxonomyFile)
const cache = where && new CompileCache(where.root, where.seeds)
let writer: EntryWriter | undefined

answerBatches(
  (job: CompileJob): CompileReply => {
    const compiled = compileFile(job.file, taxonomy, media)
    if (!cache || !job.key) return { compiled }
    writer ??= cache.writer()
    return writer.store(job.key, compiled) ?? { compiled }
  },
  () => {
    writer?.close()
    writer = undefined
  },
)
