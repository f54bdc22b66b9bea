/**
 * `npm run bench:build`: what a corpus of N articles costs to build and to
 * run, against Hugo and against the Workers limits, in one run.
 *
 * For each corpus, in a staged copy of the project:
 * - Building: the content build cold (no build cache, no earlier output),
 *   warm with nothing changed, warm after editing one article, and after
 *   one more edit with `.cache/` and `generated/` carried to a fresh clone
 *   as a CI job keeps them (wall time, peak memory), a Hugo build of the
 *   same files (per-topic RSS included; up to `--hugo-max` articles), and
 *   `wrangler deploy --dry-run` cold and warm.
 * - Limits: the worker bundle (raw and gzip), its static asset files (count,
 *   largest, any over 25 MiB), and the largest document the site serves.
 * - The cold path: for each route kind (site feed in three formats, topic
 *   feed, filtered feed, archive page, home, topic page, article pages,
 *   sitemap, 404; found from the served documents, absent when the build
 *   offers none) the first request's CPU and wall time on a fresh workerd,
 *   and its startup, against a constant-response baseline in the same run;
 *   the isolate heap after every subscription document was requested once.
 * - The preview: edit one article → its page shows it in `npm run dev`.
 *
 *   npm run bench:build -- [--articles seeds,10000,100000] [--topics auto] [--samples 5]
 *                          [--port 8763] [--hugo-max 10000] [--edits 3] [--no-dev]
 *                          [--skip warm,edit,ci-restore,hugo,deploy-cold,deploy-warm,first-requests,dev]
 *                          [--timeout-scale 1] [--memory-limit 12] [--short] [--out results]
 *
 * `--articles` takes `seeds` as one of its entries for the project's own articles.
 * `--topics` is one number, one per entry, or `auto` (40, or one per 500 articles above 20,000).
 * Every phase has a time bound that grows with the corpus (`--timeout-scale` multiplies it); a
 * phase that fails or runs out of time is reported as such and the run goes on. A build whose
 * processes hold more than `--memory-limit` GiB together is stopped and reported as not fitting.
 */
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { WORKERS_LIMITS } from '../src/build/platform-limits.ts'
import { readSiteConfig, type SiteEnv } from '../src/site/site-config.ts'
import { captureResponse, writeBaselineWorker } from './lib/baseline-worker.ts'
import { type BenchCorpus, prepareCorpus } from './lib/bench-corpus.ts'
import {
  buildCacheBytes,
  carryBuildState,
  editArticle,
  listArticleFiles,
  removeBuildState,
  runContentBuild,
} from './lib/content-builds.ts'
import { type EditToVisible, measureEditToVisible } from './lib/dev-edit.ts'
import { type FirstRequestSample, measureFirstRequest } from './lib/first-request.ts'
import { writeHugoSite } from './lib/hugo-site.ts'
import { type CommandCost, measureCommand } from './lib/measure-command.ts'
import { formatBytes, formatNumber, formatTable, median, saveResults } from './lib/report.ts'
import {
  type AbsentRoute,
  type DocumentSize,
  discoverRoutes,
  ROUTE_KINDS,
  type SiteRoute,
} from './lib/site-routes.ts'
import { type Outcome, runBounded } from './lib/time-bound.ts'
import {
  type BuiltWorker,
  buildWorker,
  measureFolder,
  serveWorker,
  stageProject,
  type WorkerdServer,
} from './lib/workerd-server.ts'

/** The Workers limits that bind (developers.cloudflare.com/workers/platform/limits/, free plan). */
const LIMITS = {
  cpuMsPerRequest: 10,
  startupMs: 1000,
  memoryBytes: 128 * 1000 * 1000,
  scriptBytes: 64 * 1024 * 1024,
  assetFiles: WORKERS_LIMITS.assetFiles,
  assetFileBytes: WORKERS_LIMITS.assetFileBytes,
}

/** The issues' targets, tighter than the limits so there is room to spare. */
const TARGETS = {
  buildTimeVsHugo: 0.5,
  buildPeakBytes: 1024 ** 3,
  /** At 100,000 articles. */
  buildPeakBytesLarge: 2 * 1024 ** 3,
  memoryBytes: 64 * 1000 * 1000,
  /** Isolate heap after every subscription document was requested once, at 100,000 articles. */
  heapBytes: 32 * 1000 * 1000,
  cpuMsPerRequest: 1,
  coldStartExtraMs: 10,
  /** First request on a fresh isolate: at most the baseline's plus this much CPU. */
  firstRequestExtraCpuMs: 5,
  /** Startup (spawn to listening): at most the baseline's plus this much. */
  startupExtraMs: 20,
  warmEditBuildMs: 1000,
  editToVisibleMs: 1000,
  /**
   * `wrangler deploy --dry-run` with the content built (warm): what a deploy adds to the build,
   * bundling and hashing the assets. The cold dry-run runs a cold content build first, which
   * has a target of its own (the ratio to Hugo).
   */
  deployDryRunMs: 60_000,
}

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000,10000' },
    topics: { type: 'string', default: 'auto' },
    samples: { type: 'string' },
    port: { type: 'string', default: process.env.BENCH_BUILD_PORT ?? '8763' },
    out: { type: 'string', default: 'results' },
    'hugo-max': { type: 'string', default: '10000' },
    edits: { type: 'string' },
    'no-dev': { type: 'boolean', default: false },
    'timeout-scale': { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
    'memory-limit': { type: 'string', default: '12' },
    short: { type: 'boolean', default: false },
  },
})

const samples = Number(values.samples ?? (values.short ? 2 : 5))
const port = Number(values.port)
const hugoMax = Number(values['hugo-max'])
const edits = Number(values.edits ?? (values.short ? 1 : 3))
const timeoutScale = Number(values['timeout-scale'])
/** Phases left out (`--skip warm,edit,deploy-warm,…`): for corpora where each build takes long. */
const PHASES = [
  'warm',
  'edit',
  'ci-restore',
  'hugo',
  'deploy-cold',
  'deploy-warm',
  'first-requests',
  'dev',
] as const
const skip = new Set(
  values.skip
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
)
for (const name of skip) {
  if (!(PHASES as readonly string[]).includes(name)) {
    console.error(`[bench:build] --skip: "${name}" is not one of ${PHASES.join(', ')}.`)
    process.exit(2)
  }
}
if (values['no-dev']) skip.add('dev')
/** What the builds' processes may hold together before they are stopped as not fitting. */
const maxRssBytes = Number(values['memory-limit']) * 1024 ** 3
const root = resolve('.')

// The content build's cache belongs in each staged project, so that "cold" means no cache at all.
if (process.env.CONTENT_CACHE !== undefined) {
  console.log('[bench:build] CONTENT_CACHE is ignored: each staged project keeps its own .cache/')
  delete process.env.CONTENT_CACHE
}

/** Ports, from --port: the crawl, the baseline, the heap, the fresh workerds. */
const PORTS = {
  crawl: port,
  baseline: port + 1,
  crawlAssets: port + 2,
  baselineInspector: port + 3,
  heap: port + 4,
  heapInspector: port + 5,
  fresh: port + 6,
}

const checks = { passed: 0, failed: [] as string[] }
function check(ok: boolean, what: string): boolean {
  if (ok) checks.passed++
  else checks.failed.push(what)
  return ok
}

/**
 * Time bounds per phase, in ms, growing with the corpus: generous enough for
 * the slowest build this harness has met (the prerendering content build,
 * 5.3 min for 10,000 articles on two loaded cores; extrapolated, 100,000
 * articles get 47 min per build), short enough that a corpus that does not
 * fit is reported rather than waited for.
 */
function bounds(articles: number) {
  const scaled = (base: number, perArticle: number) =>
    Math.round((base + perArticle * articles) * timeoutScale)
  return {
    corpus: scaled(60_000, 2),
    contentBuild: scaled(300_000, 25),
    hugo: scaled(120_000, 5),
    deploy: scaled(300_000, 30),
    crawl: values.short ? 20_000 : 120_000,
    serving: scaled(300_000, 6),
    workerdStartup: scaled(30_000, 0.3),
    request: scaled(30_000, 0.3),
    firstRequests: scaled(600_000, 3),
    devStartup: scaled(300_000, 30),
    devEdit: scaled(60_000, 20),
  }
}

interface FeedSize {
  path: string
  bytes: number
}

/** How each phase ended: `ok`, or `timed out`/`failed` with the message. */
type PhaseReport = { ok: boolean; ms: number; reason?: string; message?: string }

/** The cold path of one route kind: medians over the samples. */
interface FirstRequestReport {
  kind: string
  path: string
  servedBy: SiteRoute['servedBy']
  bytes: number
  samples: number
  worker: FirstRequestMedians
  baseline: FirstRequestMedians
  /** Worker's first-request CPU minus the baseline's. */
  extraCpuMs: number
}

interface FirstRequestMedians {
  startupMs: number
  firstCpuMs: number
  firstWallMs: number
  firstByteMs: number
  secondCpuMs: number
}

interface CorpusReport {
  corpus: string
  articles: number | null
  topics: number | null
  /** Every phase's outcome, by name. */
  phases: Record<string, PhaseReport>
  contentBuild: CommandCost | null
  hugo: CommandCost | null
  builds: {
    cold: CommandCost | null
    warm: CommandCost | null
    warmAfterEdit: CommandCost | null
    /** After one more edit, with `.cache/` and `generated/` restored in a fresh clone (as in CI). */
    restoredAfterEdit: CommandCost | null
    editedFile: string | null
    /** Bytes in .cache/ after the cold build; null when the build keeps no cache there. */
    cacheBytes: number | null
    deployDryRunColdMs: number | null
    /** Peak memory of one process of the cold dry-run (content build included). */
    deployDryRunColdPeakRssBytes: number | null
    deployDryRunWarmMs: number | null
  }
  /** `wrangler deploy --dry-run` from a cold project (content build included). */
  wranglerBuildMs: number | null
  bundleBytes: number | null
  bundleGzipBytes: number | null
  assetFiles: number | null
  assetBytes: number | null
  assets: { largestFile: { path: string; bytes: number } | null; filesOverLimit: string[] } | null
  memory: {
    workerRssBytes: number
    baselineRssBytes: number
    workerHeapBytes: number
    baselineHeapBytes: number
    /** How many subscription documents were requested before the heap was read. */
    subscriptionDocuments: number
  } | null
  cpuMsPerFeedRequest: { worker: number; baseline: number; own: number } | null
  coldStart: {
    workerMs: number
    baselineMs: number
    extraMs: number
    workerStartupMs: number
    baselineStartupMs: number
  } | null
  startup: {
    workerMs: number
    baselineMs: number
    extraMs: number
    workerCpuMs: number
    baselineCpuMs: number
    extraCpuMs: number
  } | null
  firstRequests: FirstRequestReport[]
  absentRoutes: AbsentRoute[]
  largestDocument:
    | (DocumentSize & { checked: number; budget: number; overBudget: DocumentSize[] })
    | null
  discoveryNotes: string[]
  feeds: FeedSize[]
  devEditToVisible:
    | (EditToVisible & {
        medianMs: number | null
        feedMedianMs: number | null
        olderMedianMs: number | null
      })
    | null
}

/** workerd CPU per request over `count` sequential requests for an already rendered document, in ms. */
async function cpuPerRequest(server: WorkerdServer, path: string, count: number): Promise<number> {
  for (let warm = 0; warm < 20; warm++) await (await fetch(`${server.url}${path}`)).arrayBuffer()
  const before = await server.cpuMs()
  for (let index = 0; index < count; index++)
    await (await fetch(`${server.url}${path}`)).arrayBuffer()
  return ((await server.cpuMs()) - before) / count
}

function emptyReport(
  corpus: BenchCorpus,
  articles: number | null,
  topics: number | null,
): CorpusReport {
  return {
    corpus: corpus.label,
    articles,
    topics,
    phases: {},
    contentBuild: null,
    hugo: null,
    builds: {
      cold: null,
      warm: null,
      warmAfterEdit: null,
      restoredAfterEdit: null,
      editedFile: null,
      cacheBytes: null,
      deployDryRunColdMs: null,
      deployDryRunColdPeakRssBytes: null,
      deployDryRunWarmMs: null,
    },
    wranglerBuildMs: null,
    bundleBytes: null,
    bundleGzipBytes: null,
    assetFiles: null,
    assetBytes: null,
    assets: null,
    memory: null,
    cpuMsPerFeedRequest: null,
    coldStart: null,
    startup: null,
    firstRequests: [],
    absentRoutes: [],
    largestDocument: null,
    discoveryNotes: [],
    feeds: [],
    devEditToVisible: null,
  }
}

async function benchCorpus(
  work: string,
  corpus: BenchCorpus,
  articles: number | null,
  topics: number | null,
): Promise<CorpusReport> {
  const report = emptyReport(corpus, articles, topics)
  const limit = bounds(articles ?? 100)
  const phase = async <T>(
    name: string,
    ms: number,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<Outcome<T>> => {
    console.log(`[bench:build] ${corpus.label}: ${name}…`)
    const outcome = await runBounded(name, ms, run)
    report.phases[name] = outcome.ok
      ? { ok: true, ms: outcome.ms }
      : { ok: false, ms: outcome.ms, reason: outcome.reason, message: outcome.message }
    if (!outcome.ok) {
      console.error(`[bench:build] ${corpus.label}: ${outcome.message}`)
      // Running out of time is a measurement (the design did not fit); failing is a breakage.
      check(outcome.reason !== 'failed', `${corpus.label}: ${outcome.message}`)
    }
    return outcome
  }

  // The benchmark edits the corpus: a generated one in its work folder, else a copy (never the
  // project's own seeds/).
  let seeds = corpus.seeds
  if (!resolve(seeds).startsWith(`${work}/`)) {
    seeds = join(work, 'seeds')
    await cp(corpus.seeds, seeds, { recursive: true })
  }
  const stage = join(work, 'project')
  await stageProject(root, stage)

  // Building (issue: build at archive scale). A build records what it read only once its files
  // are two seconds old (src/build/input-stamp.ts); an author's files are older than that by the
  // time they build again, so the corpus is made as old before the cold build reads it.
  await removeBuildState(stage)
  await new Promise((resolve) => setTimeout(resolve, 2_100))
  const cold = await phase('content build, cold', limit.contentBuild, (signal) =>
    runContentBuild(stage, seeds, { signal, maxRssBytes }),
  )
  if (!cold.ok) return report
  report.contentBuild = cold.value
  report.builds.cold = cold.value
  report.builds.cacheBytes = await buildCacheBytes(stage)
  if (!skip.has('warm')) {
    const warm = await phase('content build, warm', limit.contentBuild, (signal) =>
      runContentBuild(stage, seeds, { signal, maxRssBytes }),
    )
    if (warm.ok) report.builds.warm = warm.value
  }
  const files = await listArticleFiles(seeds)
  const edited = files[Math.floor(files.length / 2)]
  if (
    !skip.has('edit') &&
    check(edited !== undefined, `${corpus.label}: the corpus has an article file`) &&
    edited
  ) {
    await editArticle(seeds, edited, `warm build ${Date.now()}`)
    report.builds.editedFile = edited
    const afterEdit = await phase(
      'content build, one article edited',
      limit.contentBuild,
      (signal) => runContentBuild(stage, seeds, { signal }),
    )
    if (afterEdit.ok) report.builds.warmAfterEdit = afterEdit.value
    // A deploy from CI that keeps the build state (docs/running-and-deploying.md): the archive,
    // the fresh clone and the restore take their time before the build that is measured.
    if (!skip.has('ci-restore')) {
      const restored = await phase(
        'content build, state restored in a fresh clone, one article edited',
        2 * limit.contentBuild,
        async (signal) => {
          await carryBuildState(stage, seeds, { signal })
          await editArticle(seeds, edited, `restored build ${Date.now()}`)
          return runContentBuild(stage, seeds, { signal })
        },
      )
      if (restored.ok) report.builds.restoredAfterEdit = restored.value
    }
  }
  if (articles !== null && articles <= hugoMax && !skip.has('hugo')) {
    const hugo = await phase('Hugo build', limit.hugo, async (signal) => {
      const site = join(work, 'hugo')
      await writeHugoSite(site, seeds)
      const cost = await measureCommand(
        'hugo',
        ['--quiet', '--destination', join(work, 'hugo-public')],
        { cwd: site, signal },
      )
      const hugoFiles = await measureFolder(join(work, 'hugo-public'))
      check(hugoFiles.files >= articles, `Hugo wrote a page per article (${hugoFiles.files} files)`)
      return cost
    })
    if (hugo.ok) report.hugo = hugo.value
  }

  // Deploying: cold (as CI or a fresh clone), then warm (as an author deploying again). Without
  // the cold one, the warm one follows the content builds above: it is still warm (their
  // options differ from wrangler's build, so it compiles from the cache instead of stopping at
  // their record), never a cold run under the warm row.
  if (!skip.has('deploy-cold')) await removeBuildState(stage)
  const deploy = (name: string, outDir: string) =>
    phase(name, limit.deploy, (signal) =>
      buildWorker({ outDir: join(work, outDir), staged: stage, seeds, signal, maxRssBytes }),
    )
  const deployCold = skip.has('deploy-cold')
    ? undefined
    : await deploy('wrangler deploy --dry-run, cold', 'deploy-cold')
  if (deployCold?.ok) {
    report.wranglerBuildMs = deployCold.value.buildMs
    report.builds.deployDryRunColdMs = deployCold.value.buildMs
    report.builds.deployDryRunColdPeakRssBytes = deployCold.value.buildPeakRssBytes ?? null
  }
  const deployWarm =
    skip.has('deploy-warm') && deployCold
      ? undefined
      : await deploy('wrangler deploy --dry-run, warm', 'deploy-warm')
  if (deployWarm?.ok) report.builds.deployDryRunWarmMs = deployWarm.value.buildMs
  const worker = deployWarm?.ok ? deployWarm.value : deployCold?.ok ? deployCold.value : undefined
  if (worker) {
    report.bundleBytes = worker.bundleBytes
    report.bundleGzipBytes = worker.bundleGzipBytes
    const assets = worker.assetsDir
      ? await measureFolder(worker.assetsDir, { overBytes: LIMITS.assetFileBytes })
      : { files: 0, bytes: 0, largest: null, over: [] }
    report.assetFiles = assets.files
    report.assetBytes = assets.bytes
    report.assets = { largestFile: assets.largest, filesOverLimit: assets.over }
    await phase('serving: routes, heap, largest document', limit.serving, (signal) =>
      measureServing(worker, work, report, limit, signal),
    )
  }

  // The preview: the corpus becomes the staged project's seeds/, which `npm run dev` watches.
  if (!skip.has('dev')) {
    await rm(join(stage, 'seeds'), { recursive: true, force: true })
    await rename(seeds, join(stage, 'seeds'))
    const dev = await phase(
      'npm run dev: edit → visible',
      // Each edit, of two articles, waits for its page and then for its build, then settles.
      limit.devStartup + 2 * edits * (2 * limit.devEdit + 5_000),
      (signal) =>
        measureEditToVisible({
          stage,
          edits,
          startupTimeoutMs: limit.devStartup,
          editTimeoutMs: limit.devEdit,
          signal,
        }),
    )
    if (dev.ok) {
      const shown = dev.value.latenciesMs.filter((ms): ms is number => ms !== null)
      const inFeed = dev.value.feedLatenciesMs.filter((ms): ms is number => ms !== null)
      const older = dev.value.older.latenciesMs.filter((ms): ms is number => ms !== null)
      check(
        shown.length === edits && inFeed.length === edits && older.length === edits,
        `${corpus.label}: every edit showed in the preview's page and feed within ${limit.devEdit / 1000} s, an older article's too`,
      )
      report.devEditToVisible = {
        ...dev.value,
        medianMs: shown.length > 0 ? median(shown) : null,
        feedMedianMs: inFeed.length > 0 ? median(inFeed) : null,
        olderMedianMs: older.length > 0 ? median(older) : null,
      }
    }
  }
  return report
}

/**
 * Serving the built worker: routes found from the documents, the baseline
 * built from their responses, the heap after every subscription document,
 * warm CPU per feed request, and the first request per route kind on fresh
 * workerds.
 */
async function measureServing(
  worker: BuiltWorker,
  work: string,
  report: CorpusReport,
  limit: ReturnType<typeof bounds>,
  signal: AbortSignal,
): Promise<void> {
  const budget = readSiteConfig(worker.vars as SiteEnv).feedByteBudget
  const crawl = await serveWorker(worker, {
    port: PORTS.crawl,
    assetsPort: PORTS.crawlAssets,
    timeoutMs: limit.workerdStartup,
  })
  signal.addEventListener('abort', () => void crawl.stop(), { once: true })
  /** Per route kind, a baseline that holds that one constant: its first request decodes nothing else. */
  const coldBaselines = new Map<string, BuiltWorker>()
  let routes!: SiteRoute[]
  let subscriptions!: string[]
  try {
    const found = await discoverRoutes(crawl, { deadline: Date.now() + limit.crawl, signal })
    routes = found.routes
    subscriptions = found.subscriptions
    report.absentRoutes = found.absent
    report.discoveryNotes = found.notes
    const largest = found.documents.reduce<DocumentSize | undefined>(
      (top, document) => (!top || document.bytes > top.bytes ? document : top),
      undefined,
    )
    if (largest) {
      report.largestDocument = {
        ...largest,
        checked: found.documents.length,
        budget,
        overBudget: found.documents.filter((document) => document.bytes > budget),
      }
    }
    check(
      routes.some((route) => route.kind === 'site feed, RSS'),
      'the home page links the site RSS feed',
    )
    // The baseline answers each route with what the worker (or the asset layer) answered.
    const constants = []
    for (const route of routes) {
      const from =
        route.servedBy === 'static asset' && crawl.assetsUrl ? crawl.assetsUrl : crawl.url
      const response = await fetch(`${from}${route.path}`, { redirect: 'manual', signal })
      check(
        response.status === route.status,
        `${route.kind}: ${route.path} answered ${response.status}, then ${route.status}`,
      )
      const constant = await captureResponse(route.path, response, false)
      constants.push(constant)
      const coldBaseline = await writeBaselineWorker(
        join(work, `baseline-${coldBaselines.size}`),
        [constant],
        worker,
      )
      // A route the worker answers: the baseline's workerd gets the same asset binding, unused,
      // so both processes set up the same services and the difference is the worker's own code
      // (the binding alone costs workerd 4–6 ms of startup CPU, see docs/benchmarks.md). A route
      // the asset layer answers keeps the bare baseline: it is compared with the asset layer.
      coldBaselines.set(
        route.kind,
        route.servedBy === 'worker' && worker.assetsDir
          ? { ...coldBaseline, assetsDir: worker.assetsDir }
          : coldBaseline,
      )
    }
    const baselineWorker = await writeBaselineWorker(join(work, 'baseline'), constants, worker)
    const siteFeed = routes.find((route) => route.kind === 'site feed, RSS')
    const baseline = await serveWorker(baselineWorker, {
      port: PORTS.baseline,
      inspectorPort: PORTS.baselineInspector,
      timeoutMs: limit.workerdStartup,
    })
    try {
      for (const route of routes) {
        const answer = await fetch(`${baseline.url}${route.path}`, { redirect: 'manual' })
        const bytes = (await answer.arrayBuffer()).byteLength
        check(
          answer.status === route.status && bytes === route.bytes,
          `${route.kind}: the baseline answers like the worker`,
        )
      }
      const baselineMemory = await baseline.memory()
      const baselineHeap = await baseline.heapUsage()
      // The heap after every subscription document, on a workerd that served nothing else.
      const heap = await serveWorker(worker, {
        port: PORTS.heap,
        inspectorPort: PORTS.heapInspector,
        timeoutMs: limit.workerdStartup,
      })
      try {
        for (const path of subscriptions) {
          const response = await fetch(`${heap.url}${path}`, { signal })
          check(response.status === 200, `${path} answered ${response.status}`)
          report.feeds.push({ path, bytes: (await response.arrayBuffer()).byteLength })
        }
        const workerMemory = await heap.memory()
        const workerHeap = await heap.heapUsage()
        report.memory = {
          workerRssBytes: workerMemory.rssBytes,
          baselineRssBytes: baselineMemory.rssBytes,
          workerHeapBytes: workerHeap.usedBytes,
          baselineHeapBytes: baselineHeap.usedBytes,
          subscriptionDocuments: subscriptions.length,
        }
      } finally {
        await heap.stop()
      }
      if (siteFeed) {
        const requests = values.short ? 100 : 500
        const workerCpu = await cpuPerRequest(crawl, siteFeed.path, requests)
        const baselineCpu = await cpuPerRequest(baseline, siteFeed.path, requests)
        report.cpuMsPerFeedRequest = {
          worker: workerCpu,
          baseline: baselineCpu,
          own: Math.max(0, workerCpu - baselineCpu),
        }
      }
    } finally {
      await baseline.stop()
    }
  } finally {
    await crawl.stop()
  }

  // The cold path, route kind by route kind, worker and baseline alternating.
  if (skip.has('first-requests')) return
  const deadline = Date.now() + limit.firstRequests
  const startups = { worker: [] as number[], baseline: [] as number[] }
  const startupCpus = { worker: [] as number[], baseline: [] as number[] }
  let perRoute = samples
  for (const kind of ROUTE_KINDS) {
    const route = routes.find((candidate) => candidate.kind === kind)
    if (!route) continue
    const runs = { worker: [] as FirstRequestSample[], baseline: [] as FirstRequestSample[] }
    // A static asset is answered by the asset layer before the worker runs (on Cloudflare, at no
    // cost to the worker): measured on a workerd that holds the asset layer and no worker bundle.
    const served =
      route.servedBy === 'static asset' && worker.assetsDir
        ? { ...coldBaselines.get(kind)!, assetsDir: worker.assetsDir }
        : worker
    for (let sample = 0; sample < perRoute && Date.now() < deadline; sample++) {
      if (signal.aborted) throw signal.reason
      const order =
        sample % 2 === 0 ? (['worker', 'baseline'] as const) : (['baseline', 'worker'] as const)
      for (const which of order) {
        const measured = await measureFirstRequest(
          which === 'worker' ? served : coldBaselines.get(kind)!,
          route,
          {
            port: PORTS.fresh,
            startupTimeoutMs: limit.workerdStartup,
            requestTimeoutMs: limit.request,
          },
        )
        check(
          measured.status === route.status,
          `${kind}: the first request on a fresh ${which} answered ${measured.status}, expected ${route.status}`,
        )
        runs[which].push(measured)
        // A route the asset layer answers starts no worker of ours: not a startup sample.
        if (route.servedBy === 'worker') {
          startups[which].push(measured.startupMs)
          startupCpus[which].push(measured.startupCpuMs)
        }
      }
      // A worker that takes seconds to start gets one sample per route: the figure is clear.
      if (runs.worker[0] && runs.worker[0].startupMs > 5_000) perRoute = 1
    }
    if (runs.worker.length === 0) continue
    const ofWorker = mediansOf(runs.worker)
    const ofBaseline = mediansOf(runs.baseline)
    report.firstRequests.push({
      kind,
      path: route.path,
      servedBy: route.servedBy,
      bytes: route.bytes,
      samples: runs.worker.length,
      worker: ofWorker,
      baseline: ofBaseline,
      extraCpuMs: ofWorker.firstCpuMs - ofBaseline.firstCpuMs,
    })
    if (kind === 'site feed, RSS') {
      const firstByte = (run: FirstRequestSample) => run.startupMs + run.firstByteMs
      const workerMs = median(runs.worker.map(firstByte))
      const baselineMs = median(runs.baseline.map(firstByte))
      report.coldStart = {
        workerMs,
        baselineMs,
        extraMs: workerMs - baselineMs,
        workerStartupMs: ofWorker.startupMs,
        baselineStartupMs: ofBaseline.startupMs,
      }
    }
  }
  if (Date.now() >= deadline)
    report.discoveryNotes.push(
      'first requests: stopped at the time bound; later route kinds missing',
    )
  if (startups.worker.length > 0 && startups.baseline.length > 0) {
    const workerMs = median(startups.worker)
    const baselineMs = median(startups.baseline)
    const workerCpuMs = median(startupCpus.worker)
    const baselineCpuMs = median(startupCpus.baseline)
    report.startup = {
      workerMs,
      baselineMs,
      extraMs: workerMs - baselineMs,
      workerCpuMs,
      baselineCpuMs,
      extraCpuMs: workerCpuMs - baselineCpuMs,
    }
  }
}

function mediansOf(runs: readonly FirstRequestSample[]): FirstRequestMedians {
  const of = (field: keyof FirstRequestMedians) => median(runs.map((run) => run[field]))
  return {
    startupMs: of('startupMs'),
    firstCpuMs: of('firstCpuMs'),
    firstWallMs: of('firstWallMs'),
    firstByteMs: of('firstByteMs'),
    secondCpuMs: of('secondCpuMs'),
  }
}

const mib = (bytes: number) => formatBytes(bytes)
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const ms = (value: number, decimals = 1) => `${formatNumber(value, decimals)} ms`
/**
 * An extra over the baseline with the ratio of the two: this machine's speed drifts several-fold
 * between runs, and the extra in ms grows with it while the ratio stays (see docs/benchmarks.md).
 */
const extra = (worker: number, baseline: number) =>
  `${ms(worker - baseline)} (${formatNumber(worker / baseline, 2)}×)`
/** A cell for a figure that may be missing: the phase's outcome says why. */
const or = <T>(value: T | null | undefined, show: (value: T) => string, missing = '–') =>
  value === null || value === undefined ? missing : show(value)

function corpusName(report: CorpusReport): string {
  return report.articles === null ? 'seeds/' : `${report.articles} articles`
}

function printReports(reports: readonly CorpusReport[]): void {
  const header = ['', ...reports.map(corpusName)]
  const row = (label: string, cell: (report: CorpusReport) => string) => [
    label,
    ...reports.map(cell),
  ]
  const missing = (report: CorpusReport, phase: string) => {
    const outcome = report.phases[phase]
    return outcome && !outcome.ok ? (outcome.reason ?? 'failed') : '–'
  }
  console.log('\nBuild: content build against Hugo over the same corpus (wall time, peak RSS)\n')
  console.log(
    formatTable(header, [
      row('content build, cold (no cache)', (r) =>
        or(r.builds.cold, (c) => seconds(c.wallMs), missing(r, 'content build, cold')),
      ),
      row('content build peak memory', (r) => or(r.builds.cold, (c) => mib(c.peakRssBytes))),
      row('Hugo build time', (r) => or(r.hugo, (c) => seconds(c.wallMs), missing(r, 'Hugo build'))),
      row('Hugo peak memory', (r) => or(r.hugo, (c) => mib(c.peakRssBytes))),
      row(`time ratio (target ≤ ${TARGETS.buildTimeVsHugo})`, (r) =>
        r.hugo && r.builds.cold ? `${formatNumber(r.builds.cold.wallMs / r.hugo.wallMs, 2)}×` : '–',
      ),
      row('peak memory under 1 GiB (2 GiB at 100k)', (r) =>
        or(r.builds.cold, (c) =>
          c.peakRssBytes <
          ((r.articles ?? 0) >= 100_000 ? TARGETS.buildPeakBytesLarge : TARGETS.buildPeakBytes)
            ? 'yes'
            : 'no',
        ),
      ),
      row('warm build, nothing changed', (r) =>
        or(r.builds.warm, (c) => seconds(c.wallMs), missing(r, 'content build, warm')),
      ),
      row(`warm build, one article edited (target ≤ ${TARGETS.warmEditBuildMs / 1000} s)`, (r) =>
        or(
          r.builds.warmAfterEdit,
          (c) => seconds(c.wallMs),
          missing(r, 'content build, one article edited'),
        ),
      ),
      row('one article edited, build state restored in a fresh clone (CI)', (r) =>
        or(
          r.builds.restoredAfterEdit,
          (c) => seconds(c.wallMs),
          missing(r, 'content build, state restored in a fresh clone, one article edited'),
        ),
      ),
      row('build cache (.cache/)', (r) => or(r.builds.cacheBytes, mib, 'none')),
      row('wrangler deploy --dry-run, cold (content build included)', (r) =>
        or(r.builds.deployDryRunColdMs, seconds, missing(r, 'wrangler deploy --dry-run, cold')),
      ),
      row('wrangler deploy --dry-run, cold: peak memory', (r) =>
        or(r.builds.deployDryRunColdPeakRssBytes, mib),
      ),
      row(`wrangler deploy --dry-run, warm (target ≤ ${TARGETS.deployDryRunMs / 1000} s)`, (r) =>
        or(r.builds.deployDryRunWarmMs, seconds, missing(r, 'wrangler deploy --dry-run, warm')),
      ),
      row(`npm run dev: edit → visible (target ≤ ${TARGETS.editToVisibleMs / 1000} s)`, (r) =>
        or(r.devEditToVisible?.medianMs, seconds, missing(r, 'npm run dev: edit → visible')),
      ),
      row('npm run dev: edit → visible, an older article', (r) =>
        or(
          r.devEditToVisible?.olderMedianMs,
          (ms) => `${seconds(ms)} (${r.devEditToVisible?.older.inPack ? 'in a pack' : 'own file'})`,
        ),
      ),
      row('npm run dev: edit → the site feed shows it', (r) =>
        or(r.devEditToVisible?.feedMedianMs, seconds),
      ),
      row('npm run dev: start to first page', (r) => or(r.devEditToVisible?.startupMs, seconds)),
    ]),
  )
  console.log('\nRunning in workerd, against the Workers free plan limits\n')
  const servingMissing = (r: CorpusReport) => missing(r, 'serving: routes, heap, largest document')
  console.log(
    formatTable(header, [
      row('bundle (limit 64 MiB)', (r) => or(r.bundleBytes, mib)),
      row('bundle gzip', (r) => or(r.bundleGzipBytes, mib)),
      row(`static asset files (limit ${LIMITS.assetFiles})`, (r) => or(r.assetFiles, String)),
      row('static assets total', (r) => or(r.assetBytes, mib)),
      row('largest asset file (limit 25 MiB)', (r) =>
        or(r.assets?.largestFile, (file) => mib(file.bytes)),
      ),
      row('asset files over 25 MiB', (r) => or(r.assets, (a) => String(a.filesOverLimit.length))),
      row('largest document served', (r) =>
        or(r.largestDocument, (d) => `${mib(d.bytes)} ${d.path}`, servingMissing(r)),
      ),
      row('documents over the byte budget', (r) =>
        or(r.largestDocument, (d) => `${d.overBudget.length} of ${d.checked} checked`),
      ),
      row('subscription documents requested', (r) =>
        or(r.memory, (m) => String(m.subscriptionDocuments), servingMissing(r)),
      ),
      row('isolate heap after them (target ≤ 32 MB)', (r) =>
        or(r.memory, (m) => mib(m.workerHeapBytes)),
      ),
      row('isolate heap, baseline', (r) => or(r.memory, (m) => mib(m.baselineHeapBytes))),
      row('workerd RSS after them', (r) => or(r.memory, (m) => mib(m.workerRssBytes))),
      row('baseline workerd RSS', (r) => or(r.memory, (m) => mib(m.baselineRssBytes))),
      row('CPU per warm feed request, worker', (r) =>
        or(r.cpuMsPerFeedRequest, (c) => ms(c.worker, 3)),
      ),
      row('CPU per request, baseline', (r) => or(r.cpuMsPerFeedRequest, (c) => ms(c.baseline, 3))),
      row('startup: spawn to global scope evaluated (median)', (r) =>
        or(r.startup, (s) => ms(s.workerMs)),
      ),
      row('startup, baseline', (r) => or(r.startup, (s) => ms(s.baselineMs))),
      row('startup CPU, worker / baseline', (r) =>
        or(r.startup, (s) => `${ms(s.workerCpuMs)} / ${ms(s.baselineCpuMs)}`),
      ),
      row(`startup CPU extra, ratio (target ≤ ${TARGETS.startupExtraMs} ms)`, (r) =>
        or(r.startup, (s) => extra(s.workerCpuMs, s.baselineCpuMs)),
      ),
      row('startup wall extra', (r) => or(r.startup, (s) => ms(s.extraMs))),
      row('cold start to first site-feed byte', (r) => or(r.coldStart, (c) => ms(c.workerMs))),
      row('cold start, baseline', (r) => or(r.coldStart, (c) => ms(c.baselineMs))),
    ]),
  )
  console.log(
    `\nFirst request on a fresh workerd, CPU (wall): worker against the baseline, medians; extra (ratio); target: extra ≤ ${TARGETS.firstRequestExtraCpuMs} ms\n`,
  )
  console.log(
    formatTable(
      [
        'route kind',
        ...reports.flatMap((r) => [`${corpusName(r)}: worker`, 'baseline', 'extra', '2nd req']),
      ],
      ROUTE_KINDS.map((kind) => [
        kind,
        ...reports.flatMap((r) => {
          const measured = r.firstRequests.find((entry) => entry.kind === kind)
          if (measured) {
            const asset = measured.servedBy === 'static asset' ? ' (asset layer)' : ''
            return [
              `${formatNumber(measured.worker.firstCpuMs, 1)} (${formatNumber(measured.worker.firstWallMs, 1)})${asset}`,
              `${formatNumber(measured.baseline.firstCpuMs, 1)} (${formatNumber(measured.baseline.firstWallMs, 1)})`,
              extra(measured.worker.firstCpuMs, measured.baseline.firstCpuMs),
              `${formatNumber(measured.worker.secondCpuMs, 1)} ms`,
            ]
          }
          const absent = r.absentRoutes.find((entry) => entry.kind === kind)
          return [absent ? 'absent' : 'not measured', '', '', '']
        }),
      ]),
    ),
  )
  console.log(
    '  (asset layer): a static asset, answered before the worker runs (on Cloudflare the worker does not run for it); measured on a workerd holding the asset layer alone',
  )
  for (const r of reports) {
    for (const absent of r.absentRoutes)
      console.log(`  ${corpusName(r)}: ${absent.kind} absent: ${absent.reason}`)
    for (const note of r.discoveryNotes) console.log(`  ${corpusName(r)}: ${note}`)
    for (const [name, outcome] of Object.entries(r.phases))
      if (!outcome.ok)
        console.log(`  ${corpusName(r)}: ${name}: ${outcome.reason}: ${outcome.message}`)
  }
  console.log('\nSubscription feeds (bytes)\n')
  const sizeRows = reports.flatMap((report) => {
    const label = corpusName(report)
    const site = report.feeds.slice(0, 3)
    const topics = report.feeds.slice(3)
    const rows = site.map((feed) => [
      label,
      feed.path,
      '1',
      formatBytes(feed.bytes),
      formatBytes(feed.bytes),
    ])
    for (const file of new Set(topics.map((feed) => feed.path.split('/').at(-1) ?? ''))) {
      const sizes = topics
        .filter((feed) => feed.path.endsWith(`/${file}`))
        .map((feed) => feed.bytes)
      if (sizes.length === 0) continue
      rows.push([
        label,
        `topic feeds, ${file}`,
        String(sizes.length),
        `${formatBytes(Math.min(...sizes))} – ${formatBytes(Math.max(...sizes))}`,
        formatBytes(median(sizes)),
      ])
    }
    return rows
  })
  console.log(formatTable(['corpus', 'feed', 'feeds', 'size (min – max)', 'median'], sizeRows))
}

/** `auto`: 40 topics, or one per 500 articles for larger corpora (100,000 over 200). */
function topicsFor(entry: number, index: number): number {
  const given = values.topics.split(',').map((text) => text.trim())
  const text = given[Math.min(index, given.length - 1)] ?? 'auto'
  return text === 'auto' ? Math.max(40, Math.round(entry / 500)) : Number(text)
}

async function main(): Promise<number> {
  const reports: CorpusReport[] = []
  const entries = values.articles.split(',').map((text) => text.trim())
  for (const [index, entry] of entries.entries()) {
    const articles = entry === 'seeds' ? null : Number(entry)
    if (articles !== null && !(Number.isInteger(articles) && articles > 0)) {
      console.error(`[bench:build] --articles: "${entry}" is not a whole number or \`seeds\`.`)
      return 2
    }
    const topics = articles === null ? null : topicsFor(articles, index)
    if (topics !== null && !(Number.isInteger(topics) && topics > 0)) {
      console.error(`[bench:build] --topics: "${values.topics}" is not \`auto\` or whole numbers.`)
      return 2
    }
    const work = await mkdtemp(join(tmpdir(), 'edge-feed-bench-build-'))
    try {
      console.log(
        `[bench:build] ${entry === 'seeds' ? 'seeds/' : `${entry} articles over ${topics} topics`}: preparing the corpus…`,
      )
      const corpus = await runBounded('corpus', bounds(articles ?? 100).corpus, async () => {
        await mkdir(work, { recursive: true })
        return prepareCorpus({
          work,
          ...(articles === null ? {} : { articles }),
          topics: topics ?? 40,
        })
      })
      if (!corpus.ok) {
        check(false, `${entry}: ${corpus.message}`)
        continue
      }
      reports.push(await benchCorpus(work, corpus.value, articles, topics))
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }
  printReports(reports)
  const saved = await saveResults(values.out, 'bench-build', {
    kind: 'bench-build',
    date: new Date().toISOString(),
    command: `npm run bench:build -- ${process.argv.slice(2).join(' ')}`.trim(),
    limits: LIMITS,
    targets: TARGETS,
    corpora: reports,
    checks,
  })
  console.log(`\n[bench:build] results written to ${saved}`)
  console.log(
    `[bench:build] harness checks: ${checks.passed} passed, ${checks.failed.length} failed`,
  )
  for (const failure of checks.failed) console.error(`[bench:build] check failed: ${failure}`)
  return checks.failed.length === 0 ? 0 : 1
}

process.exitCode = await main()
