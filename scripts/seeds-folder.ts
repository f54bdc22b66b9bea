import { lstat, mkdir, readdir, readFile, realpath } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { parse } from 'smol-toml'
import { readBuildSiteConfig } from '../src/build/build-site-config.ts'
import { checkedLockKey, readCheckedLock, writeCheckedLock } from '../src/build/checked-lock.ts'
import {
  type CompileArticlesOptions,
  type CompileStats,
  compileArticles,
  type ListedFile,
} from '../src/build/compile-articles.ts'
import { seedsCacheFolder } from '../src/build/compile-cache.ts'
import type { MediaFacts } from '../src/build/content/article-images.ts'
import { findOversizedArticles } from '../src/build/content/budget-warnings.ts'
import {
  ARTICLE_EXTENSIONS,
  articleFiles,
  type CompileResult,
  finishContent,
  isArticleFile,
  readTaxonomy,
  type SourceFile,
} from '../src/build/content/compile-content.ts'
import {
  formatLock,
  LOCK_FILE,
  type PublishedLock,
  parseLock,
  updateLock,
} from '../src/build/content/published-lock.ts'
import { TAXONOMY_FILE } from '../src/build/content/taxonomy.ts'
import { stampOf } from '../src/build/input-stamp.ts'
import { MediaFactsFile } from '../src/build/media-facts.ts'
import type { CopiedFile } from '../src/build/published-file.ts'
import type { Problem } from '../src/contract/problem.ts'
import type { SiteConfig } from '../src/site/site-config.ts'

/** An article file with no name: only dots before an article extension. */
const NAMELESS_ARTICLE = new RegExp(
  `^\\.*(?:${ARTICLE_EXTENSIONS.map((extension) => extension.replace('.', '\\.')).join('|')})$`,
  'i',
)

/**
 * Lists every file of the seeds folder (subfolders too, hidden files not),
 * as the build, `npm run check`, `npm run new` and `npm run import` see it:
 * the path messages show, and where to read it. Links that lead out of the
 * folder are problems, not files.
 */
export async function listSeeds(root: string, problems: Problem[]): Promise<ListedFile[]> {
  const realRoot = await realpath(root)
  const files: ListedFile[] = []
  // `shownFolder` is the folder's path under the root as messages show it, with a slash after
  // it: the path of each entry is that and its name (relative() for each of 100,000 files took
  // 0.1 s).
  async function walk(folder: string, shownFolder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true })
    for (const entry of entries) {
      const path = join(folder, entry.name)
      const shown = `${shownFolder}${entry.name}`
      // `..md`, `...md`: nothing but dots before the extension, so hidden by accident, not by choice.
      if (NAMELESS_ARTICLE.test(entry.name) && !entry.isDirectory()) {
        problems.push({
          file: shown,
          field: 'file',
          message:
            'has no name before its extension, and a name that starts with a dot is hidden, so the build would skip it',
          hint: 'Rename it after its title, like `harbour-reopens.md`',
        })
        continue
      }
      if (entry.name.startsWith('.')) continue
      if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => undefined)
        if (!target || !(target === realRoot || target.startsWith(realRoot + sep))) {
          problems.push({
            file: shown,
            field: 'file',
            message: 'is a link to a file outside the seeds folder',
            hint: 'Copy the article into the seeds folder instead of linking to it',
          })
          continue
        }
        if ((await lstat(target)).isDirectory()) continue
        files.push({ path: shown, source: target })
      } else if (entry.isDirectory()) {
        await walk(path, `${shown}/`)
      } else if (entry.isFile()) {
        files.push({ path: shown, source: path })
      }
    }
  }
  await walk(root, '')
  return files
}

/** Reads every file of the seeds folder; see listSeeds. */
export async function readSeeds(root: string, problems: Problem[]): Promise<SourceFile[]> {
  const files: SourceFile[] = []
  for (const file of await listSeeds(root, problems)) {
    files.push({ path: file.path, bytes: await readFile(file.source) })
  }
  return files
}

/** What compiling a seeds folder found: the content when there are no errors, and every problem. */
export interface SeedsCheck {
  result: CompileResult
  /** The published-article lock as it must be after this build; absent when there are errors. */
  lockText?: { path: string; text: string }
  /** Errors, including unreadable files; they fail the build. */
  errors: Problem[]
  warnings: Problem[]
  /** How many article files the folder holds. */
  articleFiles: number
  /** Those files, as listed: the path messages show, and where to read each. */
  listedArticles: ListedFile[]
  /** What the per-file phase did: files read, taken from the cache, compiled. */
  stats: CompileStats
  /** The files an article may show as an image, by seeds path: where each is, and its stamp when its facts were read. */
  mediaFiles: ReadonlyMap<string, CopiedFile>
}

/**
 * Reads and compiles a seeds folder: the one set of checks that `npm run check`
 * and the build both run. `shown` is the folder as messages name it (`seeds`).
 */
export async function checkSeeds(
  folder: string,
  shown: string,
  options: {
    lockPath?: string
    site?: SiteConfig
    /** Told as each phase ends (`list`, `articles`, `finish`, `lock`): see scripts/lib/phase-times.ts. */
    phase?: (name: string) => void
  } & CompileArticlesOptions = {},
): Promise<SeedsCheck> {
  const phase = options.phase ?? (() => {})
  const readProblems: Problem[] = []
  const files = await listSeeds(folder, readProblems)
  const listedTaxonomy = files.find((file) => file.path === TAXONOMY_FILE)
  const taxonomyFile = listedTaxonomy && {
    path: listedTaxonomy.path,
    bytes: await readFile(listedTaxonomy.source),
  }
  const listedArticles = articleFiles(files)
  // The compile cache, and the lock check kept beside it, belong to the folder's real path.
  const realFolder = await realpath(folder)
  // Any other file may be an image an article shows: the facts of each (type, size, length),
  // which the articles compile against, read from each file's start, or kept in the build cache
  // from a build that read them (see src/build/media-facts.ts).
  const facts = new MediaFactsFile(
    options.cache === undefined
      ? undefined
      : join(seedsCacheFolder(options.cache, realFolder), 'media-facts'),
  )
  const media = new Map<string, MediaFacts>()
  const mediaFiles = new Map<string, CopiedFile>()
  for (const file of files) {
    if (isArticleFile(file.path)) continue
    // Stamped before it is read, as the compile cache stamps articles (see compile-articles.ts).
    const stamp = stampOf(file.source, options.stamps)
    media.set(file.path, facts.of(file.source, stamp))
    mediaFiles.set(file.path, { source: file.source, stamp })
  }
  facts.save()
  phase('list')
  const { compiled, stats } = await compileArticles(realFolder, listedArticles, taxonomyFile, {
    ...options,
    media,
  })
  phase('articles')
  const result = finishContent(compiled, readTaxonomy(taxonomyFile))
  phase('finish')
  const inFolder = (problem: Problem): Problem => ({ ...problem, file: join(shown, problem.file) })
  const errors = [...readProblems, ...(result.ok ? [] : result.problems)]
  const site = options.site ?? (await readBuildSiteConfig(resolve('wrangler.toml')))
  const oversized = result.ok
    ? findOversizedArticles(result.content.articles, result.files, site)
    : []
  const lockPath = options.lockPath ?? join(folder, LOCK_FILE)
  // The last good check's answer is kept with the build cache (see checked-lock.ts).
  const kept =
    options.cache === undefined
      ? undefined
      : join(seedsCacheFolder(options.cache, realFolder), 'checked-lock')
  const lockText =
    result.ok && errors.length === 0 ? await checkLock(lockPath, result, errors, kept) : undefined
  phase('lock')
  return {
    result,
    errors: errors.map(inFolder),
    warnings: [...result.warnings, ...oversized].map(inFolder),
    articleFiles: stats.files,
    listedArticles,
    stats,
    mediaFiles,
    ...(lockText === undefined ? {} : { lockText: { path: lockPath, text: lockText } }),
  }
}

/**
 * Reads the lock, checks the content against it; the updated lock's text, or
 * problems. `keptAt`: where the last good check's answer is kept.
 */
async function checkLock(
  path: string,
  result: Extract<CompileResult, { ok: true }>,
  problems: Problem[],
  keptAt?: string,
): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  const kept =
    keptAt === undefined
      ? undefined
      : { at: keptAt, key: checkedLockKey(text, result.content, result.files) }
  if (kept) {
    const lock = await readCheckedLock(kept.at, kept.key)
    if (lock !== undefined) return lock
  }
  const parsed: PublishedLock | Problem =
    text === undefined ? { published: [], retired: [] } : parseLock(text, LOCK_FILE)
  if ('field' in parsed) {
    problems.push(parsed)
    return undefined
  }
  const checked = updateLock(parsed, result.content, result.files, {
    lockFile: relative(process.cwd(), path),
  })
  if (!checked.ok) {
    problems.push(...checked.problems)
    return undefined
  }
  const lock = formatLock(checked.lock)
  if (kept) await writeCheckedLock(kept.at, kept.key, lock)
  return lock
}

/**
 * Where `npm run dev` (`wrangler dev`) serves the site: port DEV_PORT when
 * set (`npm run dev` passes it on as `--port`), else `port` under [dev] in
 * wrangler.toml, else wrangler's 8787; on `ip` under [dev] unless that means
 * every interface.
 */
export async function readDevOrigin(
  wranglerToml = 'wrangler.toml',
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const text = await readFile(wranglerToml, 'utf8').catch(() => '')
  let dev: { port?: unknown; ip?: unknown; local_protocol?: unknown } = {}
  try {
    dev = (parse(text) as { dev?: typeof dev }).dev ?? {}
  } catch {
    // wrangler itself reports a broken wrangler.toml; the default is the best guess here.
  }
  const port = /^\d+$/.test(env.DEV_PORT ?? '') ? env.DEV_PORT : String(dev.port ?? 8787)
  const ip = typeof dev.ip === 'string' && !['0.0.0.0', '*', '::'].includes(dev.ip) ? dev.ip : ''
  const host = !ip ? 'localhost' : ip.includes(':') ? `[${ip}]` : ip
  const protocol = dev.local_protocol === 'https' ? 'https' : 'http'
  return `${protocol}://${host}:${port}`
}

/**
 * The files of a seeds folder for `new` and `import`, which only need to know
 * what is taken; a folder that does not exist yet is empty.
 */
export async function readSeedsForAuthoring(folder: string): Promise<SourceFile[]> {
  await mkdir(folder, { recursive: true })
  return readSeeds(folder, [])
}
