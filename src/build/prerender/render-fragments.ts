import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type CompiledContent, ORIGIN_PLACEHOLDER } from '../../contract/compiled.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { ThreadPool } from '../thread-pool.ts'
import type { FragmentFile } from './fragment-file.ts'
import { carriedArticle, FRAGMENT_SLOTS, fragmentKey } from './fragments.ts'

/**
 * Fills a build's fragment file before the prerender, on every core: the
 * items of every article the file does not keep from an earlier build are
 * rendered on worker threads (fragment-worker.ts), a window at a time, and
 * put in the file in the articles' order. The prerender then finds them
 * there; it renders the same bytes on one thread, for the few left to it or
 * when run alone (test/build/prerender/kept-fragments.test.ts compares the two).
 */

/** Below this many articles to render, starting threads costs more than it saves. */
const PARALLEL_FROM = 256
/** Articles sent at once: bounds the fragments held in memory before they go to the file. */
const WINDOW = 1024

const WORKER = fileURLToPath(new URL('./fragment-worker.ts', import.meta.url).href)

/**
 * Puts every article's fragments in `file`: those it keeps are taken, the
 * others rendered on threads. `threads` given, that many threads render them
 * however few they are; by default one per core, used only when there are
 * many to render (fewer are left to the prerender, which renders any item
 * its file lacks). Says how many the threads rendered.
 */
export async function renderFragments(
  content: CompiledContent,
  site: SiteConfig,
  file: FragmentFile,
  threads?: number,
): Promise<number> {
  const origin = site.baseUrl ?? ORIGIN_PLACEHOLDER
  const missing = []
  for (const article of content.articles) {
    if (file.has(article.id)) continue
    const carried = carriedArticle(site, origin, article)
    const key = fragmentKey(carried)
    if (!file.take(article.id, key, FRAGMENT_SLOTS)) missing.push({ carried, key })
  }
  const size = threads ?? availableParallelism()
  // Too few for threads: the prerender renders them on its own thread, as it does any it lacks.
  if (size < 2 || (threads === undefined && missing.length < PARALLEL_FROM)) return 0
  const pool = new ThreadPool<(typeof missing)[number]['carried'], Uint8Array[]>(
    WORKER,
    size,
    { site, origin },
    (carried) => `rendering the items of ${carried.slug}`,
  )
  try {
    let next = pool.run(missing.slice(0, WINDOW).map((entry) => entry.carried))
    for (let start = 0; start < missing.length; start += WINDOW) {
      const results = await next
      // The threads render the next window while this one goes to the file.
      if (start + WINDOW < missing.length)
        next = pool.run(
          missing.slice(start + WINDOW, start + 2 * WINDOW).map((entry) => entry.carried),
        )
      for (const [offset, fragments] of results.entries()) {
        const { carried, key } = missing[start + offset]!
        file.put(carried.id, fragments, key)
      }
    }
  } finally {
    await pool.close()
  }
  return missing.length
}
