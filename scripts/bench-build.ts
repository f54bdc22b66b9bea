/**
 * `npm run bench:build`: what a corpus of N articles costs to build and to
 * run, against Hugo and against the Workers limits, in one run.
 *
 * For each corpus: wall time and peak memory of the content build and of a
 * Hugo build of the same files (per-topic RSS included), as a ratio; the
 * worker bundle (raw and gzip) and its static asset files; workerd's memory
 * after the first requests against a constant-response baseline; CPU per
 * cached feed request; cold start to the first byte of the site feed against
 * the baseline's; and the size of every subscription feed.
 *
 *   npm run bench:build -- [--articles 1000,10000] [--topics 40] [--samples 5] [--port 8762] [--short]
 *
 * `--articles` takes `seeds` as one of its entries for the project's own articles.
 * Isolate heap figures come from workerd's inspector (Runtime.getHeapUsage).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { captureResponse, writeBaselineWorker } from './lib/baseline-worker.ts'
import { type BenchCorpus, prepareCorpus } from './lib/bench-corpus.ts'
import { writeHugoSite } from './lib/hugo-site.ts'
import { type CommandCost, measureCommand } from './lib/measure-command.ts'
import { formatBytes, formatNumber, formatTable, median, saveResults } from './lib/report.ts'
import {
  type BuiltWorker,
  buildWorker,
  measureFolder,
  serveWorker,
  type WorkerdServer,
} from './lib/workerd-server.ts'

/** The Workers limits that bind (developers.cloudflare.com/workers/platform/limits/, free plan). */
const LIMITS = {
  cpuMsPerRequest: 10,
  startupMs: 1000,
  memoryBytes: 128 * 1000 * 1000,
  scriptBytes: 64 * 1024 * 1024,
  assetFiles: 20_000,
  assetFileBytes: 25 * 1024 * 1024,
}

/** This targets, tighter than the limits so there is room to spare. */
const TARGETS = {
  buildTimeVsHugo: 0.5,
  buildPeakBytes: 1024 ** 3,
  memoryBytes: 64 * 1000 * 1000,
  cpuMsPerRequest: 1,
  coldStartExtraMs: 10,
}

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000,10000' },
    topics: { type: 'string', default: '40' },
    samples: { type: 'string' },
    port: { type: 'string', default: process.env.BENCH_BUILD_PORT ?? '8763' },
    out: { type: 'string', default: 'results' },
    short: { type: 'boolean', default: false },
  },
})

const samples = Number(values.samples ?? (values.short ? 2 : 5))
const port = Number(values.port)
const root = resolve('.')

const checks = { passed: 0, failed: [] as string[] }
function check(ok: boolean, what: string): boolean {
  if (ok) checks.passed++
  else checks.failed.push(what)
  return ok
}

interface FeedSize {
  path: string
  bytes: number
}

/** Every subscription feed the site offers, from the topics page. */
async function feedPaths(server: WorkerdServer): Promise<string[]> {
  const page = await (await fetch(`${server.url}/topics/`)).text()
  const topics = [
    ...new Set([...page.matchAll(/href="[^"]*\/topics\/([^/"]+)\/"/g)].map((match) => match[1]!)),
  ]
  const files = ['rss.xml', 'atom.xml', 'feed.json']
  return [
    ...files.map((file) => `/${file}`),
    ...topics.flatMap((topic) => files.map((file) => `/topics/${topic}/${file}`)),
  ]
}

/** Time from spawning workerd to the first byte of the site feed, in ms. */
async function coldStart(
  worker: BuiltWorker,
  serverPort: number,
): Promise<{ startupMs: number; firstByteMs: number }> {
  const server = await serveWorker(worker, { port: serverPort })
  try {
    const started = performance.now()
    const response = await fetch(`${server.url}/rss.xml`)
    const firstByte = performance.now() - started
    await response.arrayBuffer()
    check(response.status === 200, `cold start: the site feed answered ${response.status}`)
    return { startupMs: server.startupMs, firstByteMs: server.startupMs + firstByte }
  } finally {
    await server.stop()
  }
}

/** workerd CPU per request over `count` sequential requests for an already rendered feed, in ms. */
async function cpuPerRequest(server: WorkerdServer, path: string, count: number): Promise<number> {
  for (let warm = 0; warm < 20; warm++) await (await fetch(`${server.url}${path}`)).arrayBuffer()
  const before = await server.cpuMs()
  for (let index = 0; index < count; index++)
    await (await fetch(`${server.url}${path}`)).arrayBuffer()
  return ((await server.cpuMs()) - before) / count
}

interface CorpusReport {
  corpus: string
  articles: number | null
  contentBuild: CommandCost
  hugo: CommandCost | null
  wranglerBuildMs: number
  bundleBytes: number
  bundleGzipBytes: number
  assetFiles: number
  assetBytes: number
  memory: {
    workerRssBytes: number
    baselineRssBytes: number
    workerHeapBytes: number
    baselineHeapBytes: number
  }
  cpuMsPerFeedRequest: { worker: number; baseline: number; own: number }
  coldStart: {
    workerMs: number
    baselineMs: number
    extraMs: number
    workerStartupMs: number
    baselineStartupMs: number
  }
  feeds: FeedSize[]
}

async function benchCorpus(
  work: string,
  corpus: BenchCorpus,
  articles: number | null,
): Promise<CorpusReport> {
  console.log(`[bench:build] ${corpus.label}: content build…`)
  const contentOut = join(work, 'content')
  await mkdir(contentOut, { recursive: true })
  const contentBuild = await measureCommand(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      'scripts/build-content.ts',
      '--seeds',
      corpus.seeds,
      '--out',
      join(contentOut, 'content.js'),
      '--quiet',
    ],
    { cwd: root },
  )
  let hugo: CommandCost | null = null
  if (articles !== null) {
    console.log(`[bench:build] ${corpus.label}: Hugo build…`)
    const site = join(work, 'hugo')
    await writeHugoSite(site, corpus.seeds)
    hugo = await measureCommand('hugo', ['--quiet', '--destination', join(work, 'hugo-public')], {
      cwd: site,
    })
    const hugoFiles = await measureFolder(join(work, 'hugo-public'))
    check(hugoFiles.files >= articles, `Hugo wrote a page per article (${hugoFiles.files} files)`)
  }

  console.log(`[bench:build] ${corpus.label}: worker bundle (wrangler deploy --dry-run)…`)
  const worker = await buildWorker({ outDir: join(work, 'build'), ...corpus.buildOptions })
  const assets = worker.assetsDir ? await measureFolder(worker.assetsDir) : { files: 0, bytes: 0 }

  const server = await serveWorker(worker, { port, inspectorPort: port + 2 })
  let report: Omit<CorpusReport, 'coldStart' | 'contentBuild' | 'hugo' | 'corpus' | 'articles'>
  let baselineWorker: BuiltWorker
  try {
    const paths = await feedPaths(server)
    const feeds: FeedSize[] = []
    const constants = []
    for (const path of paths) {
      const response = await fetch(`${server.url}${path}`)
      check(response.status === 200, `${path} answered ${response.status}`)
      if (path === '/rss.xml') constants.push(await captureResponse(path, response.clone(), false))
      feeds.push({ path, bytes: (await response.arrayBuffer()).byteLength })
    }
    for (const path of ['/', '/topics/']) await (await fetch(`${server.url}${path}`)).arrayBuffer()
    const workerMemory = await server.memory()
    const workerHeap = await server.heapUsage()
    baselineWorker = await writeBaselineWorker(join(work, 'baseline'), constants, worker)
    const baseline = await serveWorker(baselineWorker, { port: port + 1, inspectorPort: port + 3 })
    try {
      for (const path of paths.slice(0, 1))
        await (await fetch(`${baseline.url}${path}`)).arrayBuffer()
      const baselineMemory = await baseline.memory()
      const baselineHeap = await baseline.heapUsage()
      const requests = values.short ? 100 : 500
      const workerCpu = await cpuPerRequest(server, '/rss.xml', requests)
      const baselineCpu = await cpuPerRequest(baseline, '/rss.xml', requests)
      report = {
        wranglerBuildMs: worker.buildMs,
        bundleBytes: worker.bundleBytes,
        bundleGzipBytes: worker.bundleGzipBytes,
        assetFiles: assets.files,
        assetBytes: assets.bytes,
        memory: {
          workerRssBytes: workerMemory.rssBytes,
          baselineRssBytes: baselineMemory.rssBytes,
          workerHeapBytes: workerHeap.usedBytes,
          baselineHeapBytes: baselineHeap.usedBytes,
        },
        cpuMsPerFeedRequest: {
          worker: workerCpu,
          baseline: baselineCpu,
          own: Math.max(0, workerCpu - baselineCpu),
        },
        feeds,
      }
    } finally {
      await baseline.stop()
    }
  } finally {
    await server.stop()
  }

  console.log(`[bench:build] ${corpus.label}: cold starts (${samples} samples each)…`)
  const workerStarts: { startupMs: number; firstByteMs: number }[] = []
  const baselineStarts: { startupMs: number; firstByteMs: number }[] = []
  for (let sample = 0; sample < samples; sample++) {
    workerStarts.push(await coldStart(worker, port))
    baselineStarts.push(await coldStart(baselineWorker, port + 1))
  }
  const workerMs = median(workerStarts.map((start) => start.firstByteMs))
  const baselineMs = median(baselineStarts.map((start) => start.firstByteMs))
  return {
    corpus: corpus.label,
    articles,
    contentBuild,
    hugo,
    ...report,
    coldStart: {
      workerMs,
      baselineMs,
      extraMs: workerMs - baselineMs,
      workerStartupMs: median(workerStarts.map((start) => start.startupMs)),
      baselineStartupMs: median(baselineStarts.map((start) => start.startupMs)),
    },
  }
}

const mib = (bytes: number) => formatBytes(bytes)
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

function printReports(reports: readonly CorpusReport[]): void {
  const header = [
    '',
    ...reports.map((report) =>
      report.articles === null ? 'seeds/' : `${report.articles} articles`,
    ),
  ]
  const row = (label: string, cell: (report: CorpusReport) => string) => [
    label,
    ...reports.map(cell),
  ]
  console.log('\nBuild: content build against Hugo over the same corpus (wall time, peak RSS)\n')
  console.log(
    formatTable(header, [
      row('content build time', (r) => seconds(r.contentBuild.wallMs)),
      row('content build peak memory', (r) => mib(r.contentBuild.peakRssBytes)),
      row('Hugo build time', (r) => (r.hugo ? seconds(r.hugo.wallMs) : '–')),
      row('Hugo peak memory', (r) => (r.hugo ? mib(r.hugo.peakRssBytes) : '–')),
      row(`time ratio (target ≤ ${TARGETS.buildTimeVsHugo})`, (r) =>
        r.hugo ? `${formatNumber(r.contentBuild.wallMs / r.hugo.wallMs, 2)}×` : '–',
      ),
      row('peak memory under 1 GiB', (r) =>
        r.contentBuild.peakRssBytes < TARGETS.buildPeakBytes ? 'yes' : 'no',
      ),
      row('wrangler deploy --dry-run', (r) => seconds(r.wranglerBuildMs)),
    ]),
  )
  console.log('\nRunning in workerd, against the Workers free plan limits\n')
  console.log(
    formatTable(header, [
      row('bundle (limit 64 MiB)', (r) => mib(r.bundleBytes)),
      row('bundle gzip', (r) => mib(r.bundleGzipBytes)),
      row(`static asset files (limit ${LIMITS.assetFiles})`, (r) => String(r.assetFiles)),
      row('static assets total', (r) => mib(r.assetBytes)),
      row('workerd RSS after first requests', (r) => mib(r.memory.workerRssBytes)),
      row('baseline workerd RSS', (r) => mib(r.memory.baselineRssBytes)),
      row('isolate heap, worker (target < 64 MB)', (r) => mib(r.memory.workerHeapBytes)),
      row('isolate heap, baseline', (r) => mib(r.memory.baselineHeapBytes)),
      row(
        'CPU per cached feed request, worker',
        (r) => `${formatNumber(r.cpuMsPerFeedRequest.worker, 3)} ms`,
      ),
      row(
        'CPU per request, baseline',
        (r) => `${formatNumber(r.cpuMsPerFeedRequest.baseline, 3)} ms`,
      ),
      row(
        'worker’s own CPU (target < 1 ms)',
        (r) => `${formatNumber(r.cpuMsPerFeedRequest.own, 3)} ms`,
      ),
      row(
        'startup: spawn to listening',
        (r) => `${formatNumber(r.coldStart.workerStartupMs, 1)} ms`,
      ),
      row('startup, baseline', (r) => `${formatNumber(r.coldStart.baselineStartupMs, 1)} ms`),
      row('cold start to first feed byte', (r) => `${formatNumber(r.coldStart.workerMs, 1)} ms`),
      row('cold start, baseline', (r) => `${formatNumber(r.coldStart.baselineMs, 1)} ms`),
      row(
        `cold start extra (target ≤ ${TARGETS.coldStartExtraMs} ms)`,
        (r) => `${formatNumber(r.coldStart.extraMs, 1)} ms`,
      ),
    ]),
  )
  console.log('\nSubscription feeds (bytes)\n')
  const sizeRows = reports.flatMap((report) => {
    const site = report.feeds.filter((feed) => !feed.path.startsWith('/topics/'))
    const topics = report.feeds.filter((feed) => feed.path.startsWith('/topics/'))
    const label = report.articles === null ? 'seeds/' : `${report.articles} articles`
    const rows = site.map((feed) => [
      label,
      feed.path,
      '1',
      formatBytes(feed.bytes),
      formatBytes(feed.bytes),
    ])
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const sizes = topics
        .filter((feed) => feed.path.endsWith(`/${file}`))
        .map((feed) => feed.bytes)
      if (sizes.length === 0) continue
      rows.push([
        label,
        `/topics/*/${file}`,
        String(sizes.length),
        `${formatBytes(Math.min(...sizes))} – ${formatBytes(Math.max(...sizes))}`,
        formatBytes(median(sizes)),
      ])
    }
    return rows
  })
  console.log(formatTable(['corpus', 'feed', 'feeds', 'size (min – max)', 'median'], sizeRows))
}

async function main(): Promise<number> {
  const reports: CorpusReport[] = []
  for (const entry of values.articles.split(',').map((text) => text.trim())) {
    const work = await mkdtemp(join(tmpdir(), 'edge-feed-bench-build-'))
    try {
      const articles = entry === 'seeds' ? null : Number(entry)
      if (articles !== null && !(Number.isInteger(articles) && articles > 0)) {
        console.error(`[bench:build] --articles: "${entry}" is not a whole number or \`seeds\`.`)
        return 2
      }
      const corpus = await prepareCorpus({
        work,
        ...(articles === null ? {} : { articles }),
        topics: Number(values.topics),
      })
      reports.push(await benchCorpus(work, corpus, articles))
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }
  printReports(reports)
  const saved = await saveResults(values.out, 'bench-build', {
    kind: 'bench-build',
    date: new Date().toISOString(),
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
