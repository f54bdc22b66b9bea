/**
 * A worker thread of the content build (see compile-articles.ts): compiles
 * the batches of article files it is sent with the per-file phase and sends
 * back each result, in the batch's order.
 */
import { workerData } from 'node:worker_threads'
import { compileFile, readTaxonomy, type SourceFile } from './content/compile-content.ts'
import { answerBatches } from './thread-batches.ts'

const { taxonomyFile } = workerData as { taxonomyFile?: SourceFile }
const { taxonomy } = readTaxonomy(taxonomyFile)

answerBatches((file: SourceFile) => compileFile(file, taxonomy))
