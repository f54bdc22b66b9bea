import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { isError, type Problem } from '../../contract/problem.ts'
import { renderArticlePage } from '../../pages/article-page.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { attachMedia } from '../content/article-images.ts'
import { compileFile, readTaxonomy } from '../content/compile-content.ts'
import { lockedPath, parseLock } from '../content/published-lock.ts'
import { TAXONOMY_FILE } from '../content/taxonomy.ts'
import { plainArticlePagePath } from '../prerender/prerender-site.ts'

/**
 * The preview's fast path for the page an author is looking at. A build after
 * an edit takes seconds on a large archive (every document the article is in
 * is made again), while the article's own page follows from its file alone:
 * this compiles that one file the way the build's per-file phase does and
 * writes its page over the last build's, so `wrangler dev` (which watches the
 * assets folder) shows it within a second. The build that the same save
 * starts then writes every other document, and this page again, to the same
 * bytes (test/build/preview/quick-article-page.test.ts).
 *
 * It only ever replaces a page the last good build wrote for the same
 * article, at the same address, with what the next build will write there;
 * everything else is left to that build: an article with problems (the build
 * shows them), a draft, one dated in the future, a new or renamed file, a
 * changed slug or id, an older article whose page is in a pack, an image the
 * site does not publish yet.
 */

/** Where the last build's output is, and which file changed. */
export interface QuickPageInput {
  /** The seeds folder. */
  seeds: string
  /** The changed file, relative to the seeds folder, with forward slashes. */
  file: string
  /** The static assets folder the last build wrote. */
  assets: string
  /** The published-article lock the last good build left beside its output. */
  lock: string
  site: SiteConfig
  /** ms since the epoch: an article dated later is not published yet. */
  now: number
  /**
   * Pages a build keeps where they are, in the live assets `folder`, rather
   * than in its staged `assets` (see kept-assets.ts): they are pages of
   * their own too.
   */
  kept?: { folder: string; paths: ReadonlySet<string> }
}

export type QuickPageOutcome =
  /** The page was replaced; its path in the assets folder. */
  | { written: string }
  /** The page already holds these bytes. */
  | { unchanged: string }
  /** Left to the build, and why. */
  | { skipped: string }

const readIfThere = (path: string) => readFile(path).catch(() => undefined)

/** Makes `input.file`'s page again when the last build's page can be replaced; see the module comment. */
export async function refreshArticlePage(input: QuickPageInput): Promise<QuickPageOutcome> {
  const lockBytes = await readIfThere(input.lock)
  if (!lockBytes) return { skipped: 'the last build failed or has not finished' }
  return refreshPublishedPage(input, lockBytes.toString('utf8'))
}

/**
 * The same, with the lock given as text: a build that has not written its
 * lock yet refreshes the page in its staged assets folder against the lock
 * it is about to write (see pages-saved-during-build.ts).
 */
export async function refreshPublishedPage(
  input: QuickPageInput,
  lockText: string,
): Promise<QuickPageOutcome> {
  const lock = parseLock(lockText, input.lock)
  if ('message' in lock) return { skipped: 'the last build left no readable lock' }
  const locked = lock.published.find((entry) => entry.file === input.file)
  if (!locked) return { skipped: 'the last build did not publish this file' }

  const bytes = await readIfThere(join(input.seeds, input.file))
  if (!bytes) return { skipped: 'the file is gone' }
  const taxonomyBytes = await readIfThere(join(input.seeds, TAXONOMY_FILE))
  const taxonomy = readTaxonomy(
    taxonomyBytes ? { path: TAXONOMY_FILE, bytes: taxonomyBytes } : undefined,
  )
  if (taxonomy.problems.some(isError)) return { skipped: 'the topics file has problems' }
  const compiled = compileFile({ path: input.file, bytes }, taxonomy.taxonomy)
  if (!compiled.article || compiled.problems.some(isError)) {
    return { skipped: 'the article has problems' }
  }
  if (compiled.draft) return { skipped: 'the article is a draft' }
  let article = compiled.article
  if (article.id !== locked.id || lockedPath(article) !== locked.url) {
    return { skipped: 'its id or address changed' }
  }
  if (Date.parse(article.published) > input.now) return { skipped: 'it is dated in the future' }

  if (compiled.images) {
    const media = new Map<string, Uint8Array>()
    for (const reference of compiled.images) {
      const image = await readIfThere(join(input.seeds, reference.path))
      if (image) media.set(reference.path, image)
    }
    const published = new Map<string, Uint8Array>()
    const problems: Problem[] = []
    article = attachMedia(article, input.file, compiled.images, media, published, problems)
    if (problems.some(isError)) return { skipped: 'an image has problems' }
    for (const [path, image] of published) {
      const live = await readIfThere(join(input.assets, path))
      if (!live?.equals(image)) {
        return { skipped: `the image ${path} is not published as it is yet` }
      }
    }
  }

  const path = plainArticlePagePath(article.slug)
  const target = join(input.assets, path)
  const previous =
    (await readIfThere(target)) ??
    (input.kept?.paths.has(path) ? await readIfThere(join(input.kept.folder, path)) : undefined)
  // Older articles' pages are in packs, which only a build writes.
  if (!previous) return { skipped: 'its page is not a file of its own' }
  const page = new TextEncoder().encode(
    renderArticlePage(input.site, input.site.baseUrl ?? '', article),
  )
  if (previous.equals(page)) return { unchanged: path }
  // Written beside the assets folder (where the preview's watcher does not look) and renamed
  // over the page, so the preview never serves half a page. A build that replaces the assets
  // folder meanwhile takes this file with it, or writes its own.
  const temporary = join(dirname(input.assets), `.quick-page.${process.pid}.tmp`)
  try {
    await writeFile(temporary, page)
    if (input.kept) await mkdir(dirname(target), { recursive: true })
    await rename(temporary, target)
  } catch {
    await rm(temporary, { force: true })
    return { skipped: 'the build replaced the assets folder meanwhile' }
  }
  return { written: path }
}
