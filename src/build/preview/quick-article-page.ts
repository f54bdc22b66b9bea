import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { articlePackPath } from '../../contract/pack.ts'
import { isError } from '../../contract/problem.ts'
import { renderArticlePage } from '../../pages/article-page.ts'
import { articleModified } from '../../site/crawlers.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { type MediaFacts, readMediaFile } from '../content/article-images.ts'
import { compileFile, readTaxonomy } from '../content/compile-content.ts'
import { lockedPath, parseLock } from '../content/published-lock.ts'
import { TAXONOMY_FILE } from '../content/taxonomy.ts'
import { secondsOf } from '../prerender/document-store.ts'
import { replacePackEntry } from '../prerender/pack-file.ts'
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
 * changed slug or id, an image the site does not publish yet. The page is a
 * file of its own for the newest articles; an older one's is an entry of an
 * article pack, which is written again with that entry made anew and every
 * other entry's bytes as they were (replacePackEntry): again the bytes the
 * next build writes there.
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
  const file = { path: input.file, bytes }
  let compiled = compileFile(file, taxonomy.taxonomy)
  // The images it shows, read from their files: it compiles again, measuring them.
  const images = new Map<string, Buffer>()
  if (compiled.images) {
    const media = new Map<string, MediaFacts>()
    for (const reference of compiled.images) {
      const image = await readIfThere(join(input.seeds, reference.path))
      if (!image) continue
      images.set(reference.path, image)
      media.set(reference.path, readMediaFile(image))
    }
    compiled = compileFile(file, taxonomy.taxonomy, media)
  }
  if (!compiled.article || compiled.problems.some(isError)) {
    return { skipped: 'the article has problems' }
  }
  if (compiled.draft) return { skipped: 'the article is a draft' }
  const article = compiled.article
  if (article.id !== locked.id || lockedPath(article) !== locked.url) {
    return { skipped: 'its id or address changed' }
  }
  if (Date.parse(article.published) > input.now) return { skipped: 'it is dated in the future' }
  // The page shows its images at their published path: each must be there as it is now.
  for (const [i, reference] of (compiled.images ?? []).entries()) {
    const facts = compiled.imageFacts?.[i]
    if (!facts || 'reason' in facts) continue
    const live = await readIfThere(join(input.assets, reference.path))
    if (!live?.equals(images.get(reference.path)!)) {
      return { skipped: `the image ${reference.path} is not published as it is yet` }
    }
  }

  const text = renderArticlePage(input.site, input.site.baseUrl ?? '', article)
  const plainPath = plainArticlePagePath(article.slug)
  const plain = await readPage(input, plainPath)
  if (plain) {
    const page = new TextEncoder().encode(text)
    return plain.equals(page) ? { unchanged: plainPath } : writePage(input, plainPath, page)
  }
  // An older article's page is an entry of a pack: that entry is made again, the others kept.
  const packPath = await articlePackOf(input, article.slug)
  const pack = packPath && (await readPage(input, packPath))
  const replaced =
    pack && replacePackEntry(pack, article.slug, text, secondsOf(articleModified(article)) ?? -1)
  if (!packPath || !replaced) return { skipped: 'its page is in no pack of the last build' }
  return replaced === 'unchanged' ? { unchanged: packPath } : writePage(input, packPath, replaced)
}

/** A file of the output at `path`: in `assets`, or where the build keeps it. */
async function readPage(input: QuickPageInput, path: string): Promise<Buffer | undefined> {
  return (
    (await readIfThere(join(input.assets, path))) ??
    (input.kept?.paths.has(path) ? await readIfThere(join(input.kept.folder, path)) : undefined)
  )
}

/**
 * The article pack that holds `slug`'s page. A build makes as many packs as
 * it has numbers for (a number is left out only when no slug hashes to it,
 * all but impossible at 32 articles a pack), so their count is the one the
 * slug was hashed with (see articlePackPath).
 */
async function articlePackOf(input: QuickPageInput, slug: string): Promise<string | undefined> {
  const packs = new Set<string>()
  const folder = '/_packs/articles/'
  for (const name of await readdir(join(input.assets, folder)).catch(() => [] as string[]))
    packs.add(`${folder}${name}`)
  for (const path of input.kept?.paths ?? []) if (path.startsWith(folder)) packs.add(path)
  return packs.size > 0 ? articlePackPath(slug, packs.size) : undefined
}

/**
 * Writes a page (or pack) of the output: beside the assets folder (where the
 * preview's watcher does not look) and renamed over the file, so the preview
 * never serves half of one. A build that replaces the assets folder meanwhile
 * takes this file with it, or writes its own.
 */
async function writePage(
  input: QuickPageInput,
  path: string,
  bytes: Uint8Array,
): Promise<QuickPageOutcome> {
  const target = join(input.assets, path)
  const temporary = join(dirname(input.assets), `.quick-page.${process.pid}.tmp`)
  try {
    await writeFile(temporary, bytes)
    if (input.kept) await mkdir(dirname(target), { recursive: true })
    await rename(temporary, target)
  } catch {
    await rm(temporary, { force: true })
    return { skipped: 'the build replaced the assets folder meanwhile' }
  }
  return { written: path }
}
