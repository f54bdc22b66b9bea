/**
 * Compiles the articles in seeds/ into generated/content.js, which the worker
 * imports. Run by `npm run build:content`, and by wrangler before every
 * `wrangler dev` and `wrangler deploy` (see [build] in wrangler.toml).
 *
 * A failed build prints every problem and leaves the last good output in
 * place, so a broken article never replaces a working site.
 */
import { lstat, mkdir, readdir, readFile, realpath, rename, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { compileContent, type SourceFile } from '../src/content/compile-content.ts'
import { formatProblem, type Problem } from '../src/content/problem.ts'
import {
  formatLock,
  LOCK_FILE,
  type PublishedLock,
  parseLock,
  updateLock,
} from '../src/content/published-lock.ts'
import { readBuildSiteConfig, writeStaticAssets } from './lib/write-worker-content.ts'

const { values } = parseArgs({
  options: {
    // CONTENT_SEEDS lets a test or benchmark build the worker over another corpus
    // (`CONTENT_SEEDS=/tmp/corpus wrangler deploy --dry-run`) without touching seeds/.
    seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' },
    out: { type: 'string', default: 'generated/content.js' },
    // The published-article lock; see src/content/published-lock.ts.
    lock: { type: 'string' },
    // Static assets ([assets] in wrangler.toml); default: `assets` next to --out.
    assets: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
})

async function readSeeds(root: string, problems: Problem[]): Promise<SourceFile[]> {
  const realRoot = await realpath(root)
  const files: SourceFile[] = []
  async function walk(folder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true })
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = join(folder, entry.name)
      const shown = relative(root, path).split(sep).join('/')
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
        files.push({ path: shown, bytes: await readFile(target) })
      } else if (entry.isDirectory()) {
        await walk(path)
      } else if (entry.isFile()) {
        files.push({ path: shown, bytes: await readFile(path) })
      }
    }
  }
  await walk(root)
  return files
}

/** Writes next to the target and renames, so readers never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, path)
}

/** Reads the lock, checks the content against it; the updated lock's text, or problems. */
async function checkLock(
  path: string,
  result: Extract<ReturnType<typeof compileContent>, { ok: true }>,
  problems: Problem[],
): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
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
  return formatLock(checked.lock)
}

async function main(): Promise<number> {
  const seeds = resolve(values.seeds)
  const out = resolve(values.out)
  const lockPath = resolve(values.lock ?? join(values.seeds, LOCK_FILE))
  const problems: Problem[] = []
  const files = await readSeeds(seeds, problems)
  const result = compileContent(files)
  if (!result.ok) problems.push(...result.problems)
  const lockText =
    result.ok && problems.length === 0 ? await checkLock(lockPath, result, problems) : undefined
  if (problems.length > 0 || !result.ok || lockText === undefined) {
    for (const problem of problems)
      console.error(formatProblem({ ...problem, file: join(values.seeds, problem.file) }))
    console.error(
      `[content] build failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${relative(process.cwd(), out)} was left as it was`,
    )
    return 1
  }
  const typesPath = out.replace(/\.js$/, '.d.ts')
  const compiledTypes = relative(dirname(out), resolve('src/content/compiled.ts'))
    .split(sep)
    .join('/')
  await writeAtomically(
    typesPath,
    `import type { CompiledContent } from '${compiledTypes.startsWith('.') ? compiledTypes : `./${compiledTypes}`}'\ndeclare const content: CompiledContent\nexport default content\n`,
  )
  const assets = resolve(values.assets ?? join(dirname(out), 'assets'))
  const site = await readBuildSiteConfig(resolve('wrangler.toml'))
  const split = await writeStaticAssets(result.content, { assets, site, now: Date.now() })
  // A string parsed with JSON.parse loads faster than the same data as an object literal.
  await writeAtomically(
    out,
    `export default JSON.parse(${JSON.stringify(JSON.stringify(split.bundle))})\n`,
  )
  if ((await readFile(lockPath, 'utf8').catch(() => '')) !== lockText) {
    await writeAtomically(lockPath, lockText)
  }
  if (!values.quiet) {
    console.log(
      `[content] ${result.content.articles.length} article${result.content.articles.length === 1 ? '' : 's'} compiled (${result.drafts} draft${result.drafts === 1 ? '' : 's'} left out) into ${relative(process.cwd(), out)}, ${split.bundledWithHtml} with their HTML; ${split.pages} pages and ${split.chunks} content chunks in ${relative(process.cwd(), assets)}`,
    )
  }
  return 0
}

process.exitCode = await main()
