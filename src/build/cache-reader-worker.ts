/**
 * The build cache's reader thread (see compile-articles.ts): reads and
 * checks the entries of unchanged files (CompileCache.readChecked: the
 * reads, the integrity hash and the text of the JSON) while the main thread
 * parses those of the window before, so a warm build reads its 100,000
 * entries on two cores. Answers each with the checked entry, or null for
 * one that is not whole or not the one looked for.
 */
import { workerData } from 'node:worker_threads'
import type { CacheLookup, CacheReaderData } from './compile-articles.ts'
import { type CheckedEntry, CompileCache } from './compile-cache.ts'
import { answerBatches } from './thread-batches.ts'

const { root, seeds } = workerData as CacheReaderData
const cache = new CompileCache(root, seeds)

answerBatches(
  (lookup: CacheLookup): CheckedEntry | null => cache.readChecked(lookup.key, lookup.at) ?? null,
  () => cache.endReads(),
)
