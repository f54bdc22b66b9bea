/**
 * Edit → visible in the authoring preview: `npm run dev` (the real
 * `wrangler dev`) in a staged project, one article changed on disk the way
 * an editor saves it, and its page polled until it shows the change. The
 * latency is from the write to the first response that carries it. Twice
 * over: the newest article (whose page is a file of its own) and an older
 * one (whose page, on an archive of more than 2,000 articles, is in a pack).
 *
 * Everything is bounded: the preview's start, each edit, and the whole run;
 * the preview runs in its own process group on 127.0.0.1 and free ports, and
 * is stopped (the group, nothing else) whatever happens.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { compileFile } from '../../src/build/content/compile-content.ts'
import { articleUrl } from '../../src/site/urls.ts'
import { editArticle, listArticleFiles } from './content-builds.ts'
import { spawnDevPreview } from './dev-preview.ts'
import { freePort } from './free-port.ts'
import { readFeedLinks } from './site-routes.ts'
import { killGroup, stopOnAbort, throwIfAborted } from './time-bound.ts'

/** What the measurement found. */
export interface EditToVisible {
  /** `npm run dev` spawned to the home page answering 200, ms. */
  startupMs: number
  /** The page that was watched, and the file edited (relative to seeds/). */
  page: string
  file: string
  /** Per edit: file written to the page showing it, ms; null when it never showed in time. */
  latenciesMs: (number | null)[]
  /**
   * Per edit: file written to the site's JSON feed showing it (the build
   * after the save has finished), ms; null when it never did in time.
   */
  feedLatenciesMs: (number | null)[]
  /** The same for an older article: its page, file, whether the page is in a pack, latencies. */
  older: { page: string; file: string; inPack: boolean; latenciesMs: (number | null)[] }
}

export interface EditToVisibleOptions {
  /** A staged project whose seeds/ holds the corpus (it is edited). */
  stage: string
  edits: number
  startupTimeoutMs: number
  editTimeoutMs: number
  /**
   * Quiet time after each edit's build has finished (its feed shows the
   * edit), so that the preview's reloads after it are over too: each edit is
   * measured from a quiet preview, as an author who saves, looks and edits
   * again meets it.
   */
  settleMs?: number
  /** How often the page is asked for, ms. */
  pollMs?: number
  signal?: AbortSignal
  /** Pass the preview's output through to stderr. */
  verbose?: boolean
}

/** How a browser asks for a page (Fetch Metadata), never from a cache. */
const BROWSER_HEADERS = {
  Accept: 'text/html,application/xhtml+xml',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Dest': 'document',
  'Cache-Control': 'no-cache',
}

async function getText(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    headers,
    cache: 'no-store',
    signal: AbortSignal.timeout(30_000),
  })
  return { status: response.status, text: await response.text() }
}

/**
 * The newest article's page and its source file: the first item of the site's
 * JSON feed (found from the home page), matched to the file that holds its title.
 */
async function findNewestArticle(
  origin: string,
  seeds: string,
): Promise<{ page: string; file: string; feed: string }> {
  const home = await getText(`${origin}/`, BROWSER_HEADERS)
  const feedPath = readFeedLinks(home.text, `${origin}/`).json
  if (!feedPath) throw new Error('[bench:dev] the home page links no JSON feed')
  const feed = JSON.parse((await getText(`${origin}${feedPath}`)).text) as {
    items?: { url?: string; title?: string }[]
  }
  const newest = feed.items?.[0]
  if (!newest?.url || !newest.title) throw new Error('[bench:dev] the site feed has no item')
  const escaped = JSON.stringify(newest.title).slice(1, -1)
  for (const file of await listArticleFiles(seeds)) {
    const head = (await readFile(join(seeds, file), 'utf8')).slice(0, 8192)
    if (head.includes(newest.title) || head.includes(escaped)) {
      return { page: new URL(newest.url).pathname, file, feed: feedPath }
    }
  }
  throw new Error(`[bench:dev] no file in seeds/ holds the title "${newest.title}"`)
}

/** Files looked at for an older article: enough to find one, few enough to compile at once. */
const OLDER_CANDIDATES = 200

/**
 * An older article's file and page: the oldest published one among the
 * first files in name order (a corpus's earliest years, by its folders),
 * compiled the way the build compiles it.
 */
async function findOlderArticle(seeds: string): Promise<{ page: string; file: string }> {
  let oldest: { page: string; file: string; published: number } | undefined
  for (const file of (await listArticleFiles(seeds)).slice(0, OLDER_CANDIDATES)) {
    const { article, draft } = compileFile(
      { path: file, bytes: await readFile(join(seeds, file)) },
      undefined,
    )
    const published = article ? Date.parse(article.published) : Number.NaN
    if (!article || draft || !(published <= Date.now())) continue
    if (!oldest || published < oldest.published)
      oldest = { page: articleUrl('', article.slug), file, published }
  }
  if (!oldest) throw new Error('[bench:dev] seeds/ has no published article')
  return oldest
}

/** Measures edit → visible; see the module comment. */
export async function measureEditToVisible(options: EditToVisibleOptions): Promise<EditToVisible> {
  const port = await freePort()
  const inspectorPort = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawnDevPreview(options.stage, { port, inspectorPort })
  const release = stopOnAbort(child, options.signal)
  let output = ''
  // Builds that finished (each says what it compiled), to wait for the one after an edit.
  let builds = 0
  let line = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
    const lines = (line + chunk.toString()).split('\n')
    line = lines.pop()!
    builds += lines.filter((text) => /^\[content\] .* compiled /.test(text)).length
    if (options.verbose) process.stderr.write(chunk)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  try {
    const deadline = performance.now() + options.startupTimeoutMs
    for (;;) {
      throwIfAborted(options.signal)
      if (child.exitCode !== null) {
        throw new Error(`[bench:dev] npm run dev exited (${child.exitCode}):\n${output}`)
      }
      const home = await getText(`${origin}/`, BROWSER_HEADERS).catch(() => undefined)
      if (home?.status === 200) break
      if (performance.now() > deadline) {
        throw new Error(
          `[bench:dev] npm run dev did not serve ${origin}/ within ${options.startupTimeoutMs / 1000} s:\n${output.slice(-4000)}`,
        )
      }
      await sleep(250)
    }
    const startupMs = performance.now() - started
    const seeds = join(options.stage, 'seeds')
    const { page, file, feed } = await findNewestArticle(origin, seeds)
    // The first build may write files the preview watches (a lock); let that settle first.
    await sleep(options.settleMs ?? 3_000)
    const latenciesMs: (number | null)[] = []
    const feedLatenciesMs: (number | null)[] = []
    const nonce = Math.random().toString(36).slice(2, 10)
    /** ms from `written` until `path` answers 200 with `marker`; null past the edit's time bound. */
    const until = async (path: string, marker: string, written: number, headers = {}) => {
      while (performance.now() - written < options.editTimeoutMs) {
        throwIfAborted(options.signal)
        const shown = await getText(`${origin}${path}`, headers).catch(() => undefined)
        if (shown?.status === 200 && shown.text.includes(marker)) {
          return performance.now() - written
        }
        await sleep(options.pollMs ?? 25)
      }
      return null
    }
    for (let edit = 0; edit < options.edits; edit++) {
      throwIfAborted(options.signal)
      const marker = `bench-edit-${nonce}-${edit}`
      const written = performance.now()
      await editArticle(seeds, file, marker)
      const latency = await until(page, marker, written, BROWSER_HEADERS)
      latenciesMs.push(latency)
      if (latency === null) break
      const feedLatency = await until(feed, marker, written)
      feedLatenciesMs.push(feedLatency)
      if (feedLatency === null) break
      await sleep(options.settleMs ?? 3_000)
    }
    // An older article: in no feed, so the build after each edit is waited for by its output.
    const older = await findOlderArticle(seeds)
    const inPack = !existsSync(join(options.stage, 'generated/assets', older.page, 'index.html'))
    const olderLatenciesMs: (number | null)[] = []
    for (let edit = 0; edit < options.edits; edit++) {
      throwIfAborted(options.signal)
      const marker = `bench-edit-${nonce}-older-${edit}`
      const before = builds
      const written = performance.now()
      await editArticle(seeds, older.file, marker)
      const latency = await until(older.page, marker, written, BROWSER_HEADERS)
      olderLatenciesMs.push(latency)
      if (latency === null) break
      while (builds === before && performance.now() - written < options.editTimeoutMs) {
        throwIfAborted(options.signal)
        await sleep(options.pollMs ?? 25)
      }
      await sleep(options.settleMs ?? 3_000)
    }
    return {
      startupMs,
      page,
      file,
      latenciesMs,
      feedLatenciesMs,
      older: { ...older, inPack, latenciesMs: olderLatenciesMs },
    }
  } finally {
    release()
    killGroup(child)
    await Promise.race([exited, sleep(8_000)])
  }
}
