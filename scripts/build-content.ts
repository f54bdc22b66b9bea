/**
 * Compiles the articles in seeds/ into generated/content.js, which the worker
 * imports. Run by `npm run build:content`, and by wrangler before every
 * `wrangler dev` and `wrangler deploy` (see [build] in wrangler.toml).
 *
 * A failed build prints every problem and leaves the last good output in
 * place, so a broken article never replaces a working site. Warnings are
 * printed too, but only errors fail the build.
 *
 * In preview (`--preview`, or CONTENT_PREVIEW=1, which `npm run dev` sets) a
 * failed build still leaves the content as it was, but writes the problems to
 * generated/problems.js and exits 0: `wrangler dev` keeps running and the
 * worker shows the problems on every page until a good build empties the list.
 *
 * Every build checks the articles against the published-article lock and
 * fails when a deployed article's id or URL would change or it is gone; no
 * build writes the lock: `npm run deploy` records it (scripts/lib/deployed-lock.ts).
 */
import { access, realpath, rm } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { writeFileAtomically } from '../src/build/atomic-file.ts'
import { headersFile, readBuildSiteConfig } from '../src/build/build-site-config.ts'
import { collectGarbage } from '../src/build/collect-garbage.ts'
import { seedsCacheFolder } from '../src/build/compile-cache.ts'
import { codeOf } from '../src/build/compile-code-version.ts'
import { DEFAULT_SITE_ICON } from '../src/build/icons/default-site-icon.ts'
import {
  type InputScan,
  outputsKey,
  readInputRecord,
  removeInputRecord,
  scanInputs,
  upToDate,
  writeInputRecord,
} from '../src/build/input-stamp.ts'
import { outputKey, readStamp, removeStamp, writeStamp } from '../src/build/output-stamp.ts'
import { assetCountWarning } from '../src/build/platform-limits.ts'
import type { PublishedFile } from '../src/build/published-file.ts'
import type { WorkerContentSummary } from '../src/build/write-worker-content.ts'
import type { CompiledContent } from '../src/contract/compiled.ts'
import { formatProblem, type Problem } from '../src/contract/problem.ts'
import { splitSiteIndex } from '../src/contract/site-index-module.ts'
import type { SiteConfig } from '../src/site/site-config.ts'
import { withBuildLock } from './lib/build-lock.ts'
import { count } from './lib/count.ts'
import { PENDING_LOCK_FILE, removePendingLock, writePendingLock } from './lib/deployed-lock.ts'
import { PhaseTimes } from './lib/phase-times.ts'
import { formatWarnings } from './lib/warning-summary.ts'

// The compiler, the prerender, sharp and the rest load once the build has something to do
// (`await import` where each is used): a build with nothing to do, which every `wrangler dev`
// and `wrangler deploy` starts with, stops before. Such imports count as the build's code all
// the same (see src/build/compile-code-version.ts).

const { values } = parseArgs({
  options: {
    // CONTENT_SEEDS lets a test or benchmark build the worker over another corpus
    // (`CONTENT_SEEDS=/tmp/corpus wrangler deploy --dry-run`) without touching seeds/.
    seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' },
    out: { type: 'string', default: 'generated/content.js' },
    // The published-article lock; see src/build/content/published-lock.ts.
    lock: { type: 'string' },
    // Static assets ([assets] in wrangler.toml); default: `assets` next to --out.
    assets: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    // Past a screenful, warnings are grouped by kind (scripts/lib/warning-summary.ts); this prints each.
    'all-warnings': { type: 'boolean', default: false },
    // Says how long each phase took (scan, articles, prerender…), on stderr even with --quiet:
    // where a slow build's time goes, without a profiler.
    times: { type: 'boolean', default: false },
    // Threads that compile articles; 1 compiles on the main thread. Default: one per core.
    threads: { type: 'string' },
    // The build cache: each article is compiled once for its bytes, the build code and the
    // settings; deleting the folder changes nothing but time. CONTENT_CACHE= (empty) or
    // --no-cache turns it off.
    cache: { type: 'string', default: process.env.CONTENT_CACHE ?? '.cache' },
    'no-cache': { type: 'boolean', default: false },
    // Set by `npm run dev` only. A failed build then exits 0 so `wrangler dev` keeps serving,
    // and writes the problems for the worker to show; deploys never set it, so they still stop.
    preview: {
      type: 'boolean',
      default: /^(1|true|yes)$/i.test(process.env.CONTENT_PREVIEW ?? ''),
    },
  },
})

/** The phases' times, when asked for (--times). */
const times = values.times ? new PhaseTimes() : undefined
const phase = (name: string) => times?.end(name)

/**
 * Writes a file of the output whole (see atomic-file.ts), leaving one that
 * holds these bytes already alone: `wrangler dev` bundles and restarts the
 * worker on every write to a module it imports, and holds the preview's
 * requests meanwhile.
 */
function writeModule(path: string, text: string | Uint8Array): Promise<void> {
  return writeFileAtomically(path, text, { unlessSame: true })
}

/** `import type` of a module of ours, as written from the folder of the generated files. */
function typeImport(out: string, module: string, name: string): string {
  const path = relative(dirname(out), resolve(module)).split(sep).join('/')
  return `import type { ${name} } from '${path.startsWith('.') ? path : `./${path}`}'`
}

/** What a build says about its output: kept with the output's stamp. */
type OutputSummary = Omit<WorkerContentSummary, 'index'>

/** The stamp of the output written to `out` and its assets (see src/build/output-stamp.ts). */
function stampPath(out: string): string {
  return `${out.replace(/\.js$/, '')}.stamp.json`
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

/**
 * Writes the static assets and the module the worker bundle imports (with its
 * types), and says what went where; leaves them as they are when they are
 * this build's already (`upToDate`).
 */
async function writeContent(
  out: string,
  content: CompiledContent,
  files: ReadonlyMap<string, PublishedFile> = new Map(),
  fragmentCache?: string,
  beforeReplacing?: (
    staging: string,
    keptInPlace: ReadonlySet<string>,
    site: SiteConfig,
  ) => Promise<void>,
): Promise<OutputSummary & { upToDate: boolean }> {
  const site = await readBuildSiteConfig(resolve('wrangler.toml'))
  const now = Date.now()
  const key = outputKey({
    code: codeOf(fileURLToPath(import.meta.url)).version,
    content,
    site,
    headers: headersFile(site),
    files,
    now,
  })
  const stamp = await readStamp<OutputSummary>(stampPath(out))
  if (
    stamp?.key === key &&
    (await exists(out)) &&
    (await exists(topicsModulePath(out))) &&
    (await exists(assetsFolder(out)))
  )
    return { ...stamp.summary, upToDate: true }
  await removeStamp(stampPath(out))
  const { writeStaticAssets } = await import('../src/build/write-worker-content.ts')
  await writeModule(
    out.replace(/\.js$/, '.d.ts'),
    `${typeImport(out, 'src/contract/site-index-module.ts', 'SiteIndexModule')}\ndeclare const index: SiteIndexModule\nexport default index\n`,
  )
  const { index, ...summary } = await writeStaticAssets(content, {
    assets: assetsFolder(out),
    site,
    now,
    files,
    ...(fragmentCache ? { fragmentCache } : {}),
    ...(beforeReplacing
      ? { beforeReplacing: (staging, kept) => beforeReplacing(staging, kept, site) }
      : {}),
    // The preview's wrangler dev watches the folder, and its fast path rewrites article packs.
    preview: values.preview,
  })
  // The topics' states and pages as a Data module, which an isolate loads without parsing (see
  // site-index-module.ts); written first, so the index never names bytes that are not there yet.
  const { module, topics } = splitSiteIndex(index)
  await writeModule(topicsModulePath(out), topics)
  // A string parsed with JSON.parse loads faster than the same data as an object literal.
  await writeModule(out, `export default JSON.parse(${JSON.stringify(JSON.stringify(module))})\n`)
  await writeStamp(stampPath(out), { key, summary })
  return { ...summary, upToDate: false }
}

/** The Data module beside the site index module: `content.js` → `content-topics.bin`. */
function topicsModulePath(out: string): string {
  return `${out.replace(/\.js$/, '')}-topics.bin`
}

function assetsFolder(out: string): string {
  return resolve(values.assets ?? join(dirname(out), 'assets'))
}

/** The module the worker shows as an error page in preview; empty after every good build. */
async function writeProblems(out: string, problems: readonly Problem[]): Promise<void> {
  await writeModule(
    out.replace(/\.js$/, '.d.ts'),
    `${typeImport(out, 'src/contract/problem.ts', 'Problem')}\ndeclare const problems: Problem[]\nexport default problems\n`,
  )
  await writeModule(out, `export default ${JSON.stringify(problems)}\n`)
}

/** The record of the last good build's inputs and outputs (see src/build/input-stamp.ts). */
function inputRecordPath(out: string): string {
  return `${out.replace(/\.js$/, '')}.inputs.json`
}

/** The files a good build leaves beside the assets, and the assets' first file. */
function outputFiles(out: string): string[] {
  const folder = dirname(out)
  return [
    out,
    out.replace(/\.js$/, '.d.ts'),
    topicsModulePath(out),
    stampPath(out),
    join(folder, 'problems.js'),
    join(folder, 'problems.d.ts'),
    join(folder, PENDING_LOCK_FILE),
    // The folder is replaced whole by every prerender, and this file with it.
    join(assetsFolder(out), '_headers'),
  ]
}

/**
 * Everything a build reads: the seeds folder (articles, images, the
 * taxonomy, the site icon, the lock), the default site icon, the lock given
 * elsewhere, the settings as the build reads them, the build's code (with
 * the versions of the packages it imports), the options, and the runtime
 * that formats dates.
 */
async function scanBuildInputs(): Promise<InputScan> {
  const site = await readBuildSiteConfig(resolve('wrangler.toml'))
  const { quiet: _, ...options } = values
  return scanInputs({
    folders: [await realpath(values.seeds)],
    // The default site icon is a file the code reads, not a module it imports.
    files: [DEFAULT_SITE_ICON, ...(values.lock === undefined ? [] : [resolve(values.lock)])],
    settings: [
      codeOf(fileURLToPath(import.meta.url)).version,
      JSON.stringify(site),
      headersFile(site),
      JSON.stringify(options),
      resolve(values.out),
      process.version,
      process.versions.icu ?? '',
    ],
  })
}

async function main(): Promise<number> {
  const out = resolve(values.out)
  const problemsOut = join(dirname(out), 'problems.js')
  const shownOut = relative(process.cwd(), out)
  const threads = values.threads === undefined ? undefined : Number(values.threads)
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    console.error(
      `[content] --threads: "${values.threads}" is not a number of threads. Give a whole number of 1 or more; 1 compiles on the main thread`,
    )
    return 1
  }
  const cache = values['no-cache'] || values.cache === '' ? undefined : resolve(values.cache)
  // Node.js, the modules, and the wait for another build of the same output (withBuildLock).
  phase('start')
  // Nothing changed since the last good build: say again what it said, and stop.
  const started = Date.now()
  const recordPath = inputRecordPath(out)
  const scan = await scanBuildInputs().catch(() => undefined)
  const record = await readInputRecord(recordPath)
  const nothingChanged = scan !== undefined && upToDate(record, scan, outputFiles(out), started)
  phase('scan')
  if (nothingChanged) {
    if (!values.quiet) {
      for (const line of record.warnings) console.error(line)
      console.log(
        `[content] ${count(scan.files, 'file')} of ${values.seeds} as the last build read them: ${shownOut} and its assets are already its output, nothing changed`,
      )
    }
    return 0
  }
  await removeInputRecord(recordPath)
  const { checkSeeds } = await import('./seeds-folder.ts')
  const { result, errors, warnings, lockText, stats, listedArticles, mediaFiles } =
    await checkSeeds(resolve(values.seeds), values.seeds, {
      ...(values.lock === undefined ? {} : { lockPath: resolve(values.lock) }),
      ...(threads === undefined ? {} : { threads }),
      ...(cache === undefined ? {} : { cache }),
      ...(scan ? { stamps: scan.stamps } : {}),
      phase,
    })
  if (stats.threads > 1) collectGarbage()
  // The site icons, from the seeds folder's site-icon file or the default.
  const { deriveSiteIcons, findSiteIcon } = await import('../src/build/icons/derive-site-icons.ts')
  const iconSource = await findSiteIcon(resolve(values.seeds), values.seeds)
  const icons =
    'bytes' in iconSource
      ? await deriveSiteIcons(iconSource)
      : { files: new Map<string, Uint8Array>(), problems: [iconSource] }
  for (const problem of icons.problems)
    (problem.severity === 'warning' ? warnings : errors).push(problem)
  // The articles' images, published at their path in the seeds folder, beside the icons: copied
  // from there when the assets are written, never held in memory.
  const files = new Map<string, PublishedFile>(icons.files)
  for (const path of result.ok ? result.media.keys() : []) {
    if (files.has(`/${path}`))
      errors.push({
        file: join(values.seeds, path),
        field: 'image',
        message: `would be published at /${path}, where the site icon is`,
        hint: 'Move the image to another folder of the seeds folder',
      })
    files.set(`/${path}`, mediaFiles.get(path)!)
  }
  phase('icons')
  const warningLines = formatWarnings(warnings, { all: values['all-warnings'] })
  if (!values.quiet || errors.length > 0) {
    // Warnings first: the errors, which need fixing, end up next to the verdict.
    for (const line of [...warningLines, ...errors.map(formatProblem)]) console.error(line)
  }
  if (errors.length > 0 || !result.ok || lockText === undefined) {
    await removePendingLock(dirname(out))
    if (!values.preview) {
      console.error(
        `[content] build failed: ${count(errors.length, 'error')}; ${shownOut} was left as it was`,
      )
      return 1
    }
    // Preview (npm run dev): keep serving the last good content, show the problems on every page.
    const kept = await access(out).then(
      () => true,
      () => false,
    )
    if (!kept) await writeContent(out, { version: 'empty', articles: [] })
    await removeStamp(stampPath(out))
    // Cloudflare serves a matching asset before the worker runs, so the article pages go
    // until the next good build writes them again: then every page shows the problems.
    await rm(join(assetsFolder(out), 'articles'), { recursive: true, force: true })
    await writeProblems(problemsOut, [...errors, ...warnings])
    console.error(
      `[content] build failed: ${count(errors.length, 'error')}; ${shownOut} was ${kept ? 'left as it was' : 'written empty'} and the preview shows the problems until they are fixed`,
    )
    return 0
  }
  // In preview, pages of articles saved while this build ran show the saves, not what it read.
  const savedDuringBuild = async (
    staging: string,
    keptInPlace: ReadonlySet<string>,
    site: SiteConfig,
  ) => {
    const { refreshPagesSavedDuringBuild } = await import(
      '../src/build/preview/pages-saved-during-build.ts'
    )
    const written = await refreshPagesSavedDuringBuild({
      seeds: values.seeds,
      files: listedArticles,
      since: started,
      staging,
      assets: assetsFolder(out),
      keptInPlace,
      lock: lockText.path,
      lockText: lockText.text,
      site,
    })
    if (written.length > 0 && !values.quiet) {
      console.log(
        `[content] the pages of ${count(written.length, 'article')} saved during this build show the saves; the next build brings the rest`,
      )
    }
  }
  const split = await writeContent(
    out,
    result.content,
    files,
    cache && join(seedsCacheFolder(cache, await realpath(values.seeds)), 'fragments'),
    values.preview ? savedDuringBuild : undefined,
  )
  phase('prerender')
  await writeProblems(problemsOut, [])
  // More files than a deploy may upload: said even when quiet, since the deploy would fail.
  const tooMany = assetCountWarning(split.files, result.media.size)
  const limitLines = tooMany ? [`[content] ${tooMany}`] : []
  for (const line of limitLines) console.error(line)
  // Checked against the lock, never written to it: `npm run deploy` records what it published.
  await writePendingLock(dirname(out), lockText.text)
  if (scan?.settled) {
    // The output is right until the first article still scheduled when the build began is due.
    let validUntil: number | null = null
    for (const article of result.content.articles) {
      const at = Date.parse(article.published)
      if (at > started && (validUntil === null || at < validUntil)) validUntil = at
    }
    await writeInputRecord(recordPath, {
      inputs: scan.key,
      outputs: outputsKey(outputFiles(out)),
      validUntil,
      warnings: [...warningLines, ...limitLines],
    })
  }
  phase('record')
  if (!values.quiet) {
    console.log(
      `[content] ${count(result.content.articles.length, 'article')} compiled (${count(result.drafts, 'draft')} left out) and ${split.upToDate ? 'already prerendered, nothing changed' : 'prerendered'}: ${count(split.files, 'static asset file')} (${split.pages} plain article pages, ${split.packedPages} in packs${split.keptFiles && !split.upToDate ? `; ${count(split.keptFiles, 'file')} and ${split.keptScopes} of ${count(split.scopes, 'feed scope')} kept from the last build` : ''}; largest document ${split.largestDocument} bytes) in ${relative(process.cwd(), assetsFolder(out))}, the site index in ${shownOut}`,
    )
    console.log(
      `[content] ${count(stats.files, 'article file')}: ${stats.read} read, ${stats.fromCache} from the cache, ${stats.compiled} compiled${stats.compiled > 0 ? ` on ${count(stats.threads, 'thread')}` : ''}`,
    )
  }
  return 0
}

// One build at a time writes an output folder (see scripts/lib/build-lock.ts).
process.exitCode = await withBuildLock(dirname(resolve(values.out)), main, (line) =>
  console.error(`[content] ${line}`),
).catch((error: Error) => {
  console.error(`[content] ${error.message}`)
  return 1
})
if (times) console.error(`[content] times: ${times.format()}`)
