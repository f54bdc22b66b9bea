import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import {
  type CheckedEntry,
  CompileCache,
  type EntryAt,
  type EntryHtml,
  entryKey,
  hashParts,
  parseEntry,
  readEntryHtml,
  removeOrphanCaches,
  type SeenFile,
} from './compile-cache.ts'
import { compileCode } from './compile-code-version.ts'
import type { MediaFacts } from './content/article-images.ts'
import {
  type CompiledFile,
  compileFile,
  mediaFactsHold,
  readTaxonomy,
  type SourceFile,
} from './content/compile-content.ts'
import { type FileStamp, sameStamp, settledBefore, settledBy } from './file-stamp.ts'
import { digestOfHtml } from './html-digest.ts'
import { HtmlStore, referToHtml } from './html-store.ts'
import { type SeenStamps, stampOf } from './input-stamp.ts'
import { ThreadPool } from './thread-pool.ts'

/** The thread module of the per-file phase. */
const COMPILE_WORKER = fileURLToPath(new URL('./compile-worker.ts', import.meta.url).href)
/** The thread module that reads cache entries for the main thread. */
const CACHE_READER = fileURLToPath(new URL('./cache-reader-worker.ts', import.meta.url).href)

/**
 * The per-file phase of the content build over a whole folder: every
 * article file compiled once — taken from the build cache when its bytes,
 * the code and the settings are those of an earlier build, otherwise
 * compiled, on worker threads when there are many. The result is the same
 * list compileFile gives file by file on one thread, so the finishing phase
 * (finishContent) cannot tell where a result came from.
 */

/** An article file of the seeds folder: the path messages show, and where to read it. */
export interface ListedFile {
  path: string
  source: string
}

export interface CompileArticlesOptions {
  /**
   * Threads that compile; 1 compiles on this thread. Given, it is used for
   * any number of files; by default there is one per core, used only when
   * there are many files to compile (a warm build's one edit compiles here).
   * With more than one, a thread of its own reads the cache's entries (given,
   * for any number of files; by default from READER_FROM).
   */
  threads?: number
  /** Folder of the build cache (like `.cache`); absent, every file is read and compiled. */
  cache?: string
  /**
   * The files' stamps as a scan of the folder took them just before (see
   * input-stamp.ts), by the path each is read from: a file stamped there is
   * not stat-ed again. Taken before any file is read, they are as safe as
   * this step's own.
   */
  stamps?: SeenStamps
  /**
   * The facts of the folder's other files, which may be images an article
   * shows, by seeds path (see compileFile); absent, there are none. A result
   * from the cache is taken only while the facts it was made with hold.
   */
  media?: ReadonlyMap<string, MediaFacts>
}

/** What the per-file phase did, for the build's summary line. */
export interface CompileStats {
  files: number
  /** Files whose bytes were read (new, changed, or not trusted by their metadata). */
  read: number
  fromCache: number
  compiled: number
  /** Threads that compiled: 1 means this thread. */
  threads: number
}

/** One file for a compile thread (compile-worker.ts), and the cache key to store its result under. */
export interface CompileJob {
  file: SourceFile
  key?: string
}

/** A file to compile, with its place among the files given. */
type Miss = CompileJob & { index: number }

/**
 * A compile thread's answer for a file: the result, and where the cache
 * stored it when it did, in which case the article's HTML was left there
 * (a placeholder holds its place) and `html` says where.
 */
export interface CompileReply {
  compiled: CompiledFile
  entry?: EntryAt
  html?: EntryHtml
}

/** An entry the cache reader thread is asked for (see cache-reader-worker.ts). */
export interface CacheLookup {
  key: string
  at: EntryAt
}

/** What the cache reader thread starts with: where the cache is. */
export interface CacheReaderData {
  root: string
  seeds: string
}

/** What every compile thread starts with: the taxonomy, the other files' facts, and where the cache is. */
export interface CompileThreadData {
  taxonomyFile: SourceFile | undefined
  media: ReadonlyMap<string, MediaFacts>
  cache?: { root: string; seeds: string }
}

/** Below this many files to compile, starting threads costs more than it saves. */
const PARALLEL_FROM = 256
/** Files looked at per step: bounds the bytes held in memory while their compiles run. */
const WINDOW = 2048
/**
 * From this many files, a thread reads and checks the cache entries of a
 * window while this one parses those of the window before: a warm build
 * reads every unchanged file's entry, 1.3 s of reads and hashes at 100,000.
 */
const READER_FROM = 4 * WINDOW

function sameFile(seen: SeenFile | undefined, now: FileStamp, racyBefore: bigint): boolean {
  return seen !== undefined && sameStamp(seen, now) && settledBefore(now, racyBefore)
}

/**
 * Compiles the article files of `seeds` (its real path), given in reading
 * order; the results are in the same order, their HTML out of memory (in
 * their cache entries, or in an HtmlStore).
 */
export async function compileArticles(
  seeds: string,
  files: readonly ListedFile[],
  taxonomyFile: SourceFile | undefined,
  options: CompileArticlesOptions = {},
): Promise<{ compiled: CompiledFile[]; stats: CompileStats }> {
  const threads = Math.max(1, options.threads ?? availableParallelism())
  const settings = hashParts(
    compileCode().version,
    taxonomyFile ? hashParts(taxonomyFile.path, taxonomyFile.bytes) : 'no taxonomy',
  )
  const cache = options.cache === undefined ? undefined : new CompileCache(options.cache, seeds)
  // Compacted before anything reads an entry: the entries it moves are then read where they are.
  const previous = cache ? await cache.compact(await cache.readManifest(seeds)) : undefined
  const scanned = Math.min(Date.now(), options.stamps?.at ?? Number.POSITIVE_INFINITY)
  const racyBefore = settledBy(previous?.scanned ?? 0)
  // An unchanged file under the same settings keeps its key: a hash less per file (0.2 s at 100k).
  const sameSettings = previous?.settings === settings
  const seen: Record<string, SeenFile> = {}
  const stats: CompileStats = {
    files: files.length,
    read: 0,
    fromCache: 0,
    compiled: 0,
    threads: 1,
  }
  const compiled: CompiledFile[] = new Array(files.length)
  // Each result's HTML goes to a file as it comes in: the compile's peak memory was its HTML.
  const html = new HtmlStore()
  const keep = (file: CompiledFile): CompiledFile => {
    if (file.article) html.keep(file.article, file.articleHash)
    return file
  }
  let taxonomy: ReturnType<typeof readTaxonomy> | undefined
  let pool: ThreadPool<CompileJob, CompileReply> | undefined
  const media = options.media ?? new Map<string, MediaFacts>()
  const threadData: CompileThreadData = {
    taxonomyFile,
    media,
    ...(options.cache === undefined ? {} : { cache: { root: options.cache, seeds } }),
  }
  const running: Promise<void>[] = []

  /**
   * The HTML of a cache entry whose HTML part is gone or damaged since its
   * header was read: the file compiled again, when its bytes are still the
   * ones the entry was for, its entry written again where it is, and the HTML
   * checked against the digest the build has gone by.
   */
  function compileAgain(listed: ListedFile, key: string, digest: string, at: EntryAt): string {
    const bytes = readFileSync(listed.source)
    const again =
      seen[listed.path]?.key === key && entryKey(settings, listed.path, hashParts(bytes)) === key
    taxonomy ??= readTaxonomy(taxonomyFile)
    const result = again
      ? compileFile({ path: listed.path, bytes }, taxonomy.taxonomy, media)
      : undefined
    const html = result?.article?.contentHtml
    if (html === undefined || digestOfHtml(html) !== digest) {
      throw new Error(
        `${listed.path}: the build cache entry of this file was damaged and the file has changed since the build read it. Build again`,
      )
    }
    cache?.mend(at, key, result!)
    return html
  }

  /**
   * Takes a result the cache gave or a compile thread stored: its article
   * reads its HTML from the entry when asked, and checks it.
   */
  function takeStored(index: number, stored: CompileReply & { entry: EntryAt }): void {
    const listed = files[index]!
    const key = seen[listed.path]!.key
    seen[listed.path]!.entry = stored.entry
    const { article } = stored.compiled
    const html = stored.html
    if (article && html) {
      // A new object, which nothing else refers to yet (see referToHtml).
      stored.compiled.article = referToHtml(article, {
        digest: html.digest,
        length: html.length,
        read: () => readEntryHtml(html) ?? compileAgain(listed, key, html.digest, stored.entry),
        ...(stored.compiled.articleHash === undefined
          ? {}
          : { articleHash: stored.compiled.articleHash }),
      })
    }
    compiled[index] = stored.compiled
  }

  /** Compiles the files that missed the cache, and stores what they gave. */
  async function compileMisses(misses: Miss[]): Promise<void> {
    if (misses.length === 0) return
    let results: CompileReply[]
    const worthThreads = options.threads !== undefined || misses.length >= PARALLEL_FROM
    if (pool || (threads > 1 && worthThreads)) {
      pool ??= new ThreadPool(
        COMPILE_WORKER,
        threads,
        threadData,
        (job: CompileJob) => `compiling ${job.file.path}`,
      )
      stats.threads = threads
      // Each miss is a job as it is: its file, and the key the thread stores its result under.
      results = await pool.run(misses)
    } else {
      taxonomy ??= readTaxonomy(taxonomyFile)
      const writer = cache?.writer()
      try {
        results = misses.map((miss) => {
          const result = compileFile(miss.file, taxonomy!.taxonomy, media)
          return (miss.key && writer?.store(miss.key, result)) || { compiled: result }
        })
      } finally {
        writer?.close()
      }
    }
    stats.compiled += misses.length
    for (const [index, miss] of misses.entries()) {
      const reply = results[index]!
      if (reply.entry) takeStored(miss.index, { ...reply, entry: reply.entry })
      else compiled[miss.index] = keep(reply.compiled)
    }
  }

  // A warm build's entries are read and checked on a thread of their own, a window ahead.
  const worthReader = options.threads !== undefined || files.length >= READER_FROM
  const reader =
    cache && previous && previous.scanned > 0 && threads > 1 && worthReader
      ? new ThreadPool<CacheLookup, CheckedEntry | null>(
          CACHE_READER,
          1,
          { root: options.cache!, seeds } satisfies CacheReaderData,
          (lookup) => `reading the build cache entry ${lookup.at.segment}`,
          WINDOW,
        )
      : undefined

  /** A file whose entry the cache may hold: its place, its record, and its bytes if read. */
  type Lookup = { index: number; now: SeenFile; entry: EntryAt; bytes?: Uint8Array }

  /** The cache's entries for files that have one, read and checked; null where one is not whole. */
  const readEntries = async (lookups: readonly Lookup[]): Promise<(CheckedEntry | null)[]> => {
    const asked = lookups.map((lookup) => ({ key: lookup.now.key, at: lookup.entry }))
    if (reader) return reader.run(asked)
    return asked.map((lookup) => cache!.readChecked(lookup.key, lookup.at) ?? null)
  }

  /**
   * A file to compile: its entry is the one this build stores, if it can,
   * under the key of its bytes (read now, if they were not yet).
   */
  function miss(index: number, now: SeenFile, read: Uint8Array | undefined): Miss {
    const listed = files[index]!
    now.entry = undefined
    let bytes = read
    if (!bytes) {
      bytes = readFileSync(listed.source)
      stats.read++
      now.key = entryKey(settings, listed.path, hashParts(bytes))
    }
    return { index, file: { path: listed.path, bytes }, key: now.key }
  }

  /** Takes what the cache holds for each lookup; the rest are compiled. */
  async function takeFromCache(lookups: readonly Lookup[], misses: Miss[]): Promise<void> {
    if (lookups.length > 0) {
      const checked = await readEntries(lookups)
      for (const [at, lookup] of lookups.entries()) {
        const found = checked[at]
        const hit = found && parseEntry(files[lookup.index]!.path, lookup.entry, found)
        // An entry whose images are no longer as it measured them is made again.
        if (hit && mediaFactsHold(hit.compiled, media)) {
          takeStored(lookup.index, hit)
          stats.fromCache++
        } else misses.push(miss(lookup.index, lookup.now, lookup.bytes))
      }
    }
    await compileMisses(misses)
  }

  try {
    for (let start = 0; start < files.length; start += WINDOW) {
      const misses: Miss[] = []
      const lookups: Lookup[] = []
      // Synchronous reads: for thousands of small files they cost a third of the promise API's
      // round trips through the thread pool, and the compile threads work meanwhile.
      const window = files.slice(start, start + WINDOW)
      for (let offset = 0; offset < window.length; offset++) {
        const listed = window[offset]!
        const index = start + offset
        if (!cache) {
          const bytes = readFileSync(listed.source)
          stats.read++
          misses.push({ index, file: { path: listed.path, bytes } })
          continue
        }
        // Metadata first: a change after this point shows as a change next time.
        const stamp = stampOf(listed.source, options.stamps)
        const before = previous?.files[listed.path]
        const unchanged = before !== undefined && sameFile(before, stamp, racyBefore)
        // The last build's record of this very file under the same settings holds as it is, its
        // key included: kept, where a copy of it cost an object a file. Otherwise the key is
        // made from the bytes: under other settings no entry has it yet, so they are read anyway.
        const kept = unchanged && sameSettings && typeof before.key === 'string'
        const now: SeenFile = kept ? before : { ...stamp, key: '' }
        let bytes: Uint8Array | undefined
        if (!kept) {
          bytes = readFileSync(listed.source)
          stats.read++
          now.key = entryKey(settings, listed.path, hashParts(bytes))
        }
        seen[listed.path] = now
        const entry = before?.key === now.key ? before.entry : undefined
        if (entry) lookups.push({ index, now, entry, ...(bytes ? { bytes } : {}) })
        else misses.push(miss(index, now, bytes))
      }
      const task = takeFromCache(lookups, misses)
      // Awaited below, in order; marked handled now so a failure is not reported twice.
      task.catch(() => undefined)
      running.push(task)
      // Two windows at most in flight: the threads stay busy while the bytes held stay bounded.
      if (running.length >= 2) await running.shift()
      // Let the threads' replies in between two windows.
      else await new Promise((resolve) => setImmediate(resolve))
    }
    await Promise.all(running)
  } finally {
    cache?.endReads()
    await Promise.all([pool?.close(), reader?.close()])
  }

  if (cache && previous) {
    // The entries no file uses any more go with the next build's compaction, once this
    // build, which may still read them (an article's HTML), is over.
    await cache
      .writeManifest({ ...previous, scanned, settings, files: seen })
      .catch(() => undefined)
    await removeOrphanCaches(options.cache!, scanned, cache.folder).catch(() => undefined)
  }
  return { compiled, stats }
}
