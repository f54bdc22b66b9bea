/**
 * `npm run bench`: serving throughput of the real worker against a baseline
 * worker that returns constant responses, both in workerd, in the same run.
 *
 * Builds the worker over a corpus (seeds/ by default), serves it with workerd,
 * captures each route's response, serves those bytes from the baseline, then
 * loads every route on both with wrk for a fixed duration, alternating which
 * goes first each round. A route's ratio is the median over rounds of the
 * ratio within each round (worker and baseline measured back to back), so a
 * machine that speeds up or slows down between rounds moves both sides of
 * every ratio alike. Prints a table and writes results/bench-*.json.
 *
 *   npm run bench -- [--articles N [--topics T] | --seeds DIR] [--duration 2] [--rounds 6]
 *                    [--connections 8] [--port 8760] [--short]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type ConstantResponse,
  captureResponse,
  writeBaselineWorker,
} from './lib/baseline-worker.ts'
import { type BenchCorpus, prepareCorpus } from './lib/bench-corpus.ts'
import { type LoadResult, runLoad } from './lib/load.ts'
import { formatBytes, formatNumber, formatTable, median, saveResults } from './lib/report.ts'
import { discoverRoutes, ROUTE_KINDS, type RouteKind } from './lib/site-routes.ts'
import { buildWorker, serveWorker, type WorkerdServer } from './lib/workerd-server.ts'

interface Route {
  name: string
  path: string
  /** Served by the static assets layer, before the worker runs (article pages). */
  asset?: boolean
  headers: Record<string, string>
  expectStatus: number
  /** Share of the baseline's requests per second this route must reach. */
  target: number
}

interface Measured {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** workerd CPU time per request, in µs (user and system, from /proc). */
  cpuUsPerRequest: number
  unexpected: number
}

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    articles: { type: 'string' },
    topics: { type: 'string', default: '40' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '8' },
    port: { type: 'string', default: process.env.BENCH_PORT ?? '8760' },
    out: { type: 'string', default: 'results' },
    short: { type: 'boolean', default: false },
  },
})

// Many short rounds rather than a few long ones: on a shared machine the speed drifts over
// minutes, and only measurements taken back to back are compared.
const durationSeconds = Number(values.duration ?? (values.short ? 1 : 2))
const rounds = Number(values.rounds ?? (values.short ? 1 : 6))
const connections = Number(values.connections)
const port = Number(values.port)

/** Checks of the harness itself: a failed one means the harness or the worker broke. */
const checks = { passed: 0, failed: [] as string[] }
function check(ok: boolean, what: string): boolean {
  if (ok) checks.passed++
  else checks.failed.push(what)
  return ok
}

/** The route kinds loaded, with their targets (share of the baseline's requests per second). */
const LOADED: Partial<Record<RouteKind, string>> = {
  'site feed, RSS': 'site feed, RSS',
  'site feed, Atom': 'site feed, Atom',
  'site feed, JSON': 'site feed, JSON',
  'topic feed': 'topic feed',
  'filtered feed': 'filtered feed',
  'archive page': 'archive feed',
  'article page, archived': 'article page',
  'home page': 'home page',
  'topic page': 'topic page',
  'topic page, older': 'topic page, older',
  'not found (404)': 'not found (404)',
}

/** The routes to load, found from the served documents (see site-routes.ts). */
async function discoverLoadRoutes(server: WorkerdServer): Promise<Route[]> {
  const found = await discoverRoutes(server, { deadline: Date.now(), crawl: false })
  const routes: Route[] = []
  for (const kind of ROUTE_KINDS) {
    const name = LOADED[kind]
    const route = found.routes.find((candidate) => candidate.kind === kind)
    if (!name || !route) continue
    const asset = route.servedBy === 'static asset'
    routes.push({
      name: asset ? `${name} (static asset)` : name,
      path: route.path,
      asset,
      headers: {},
      expectStatus: route.status,
      target: 0.9,
    })
    // A conditional request for the site feed: the 304 most readers get.
    if (kind === 'site feed, RSS') {
      const etag = (await fetch(`${server.url}${route.path}`)).headers.get('etag')
      if (check(etag !== null, 'the site feed has an ETag') && etag) {
        routes.push({
          name: '304 (site feed, If-None-Match)',
          path: route.path,
          headers: { 'If-None-Match': etag },
          expectStatus: 304,
          target: 0.95,
        })
      }
    }
  }
  // Without an archive, the newest article's page stands in for the article page.
  if (!routes.some((route) => route.name.startsWith('article page'))) {
    const newest = found.routes.find((route) => route.kind === 'article page, newest')
    if (newest) {
      const asset = newest.servedBy === 'static asset'
      routes.push({
        name: asset ? 'article page (static asset)' : 'article page',
        path: newest.path,
        asset,
        headers: {},
        expectStatus: newest.status,
        target: 0.9,
      })
    }
  }
  check(routes.length > 0, 'the site offers routes to load')
  for (const absent of found.absent) console.log(`[bench] ${absent.kind}: absent: ${absent.reason}`)
  return routes
}

/** Where a route is loaded: the asset layer for static assets, else the worker. */
function urlOf(server: WorkerdServer, route: Route): string {
  return `${route.asset && server.assetsUrl ? server.assetsUrl : server.url}${route.path}`
}

async function measure(server: WorkerdServer, route: Route): Promise<Measured & LoadResult> {
  const before = await server.cpuMs()
  const load = await runLoad(urlOf(server, route), {
    durationSeconds,
    connections,
    headers: route.headers,
  })
  const cpu = (await server.cpuMs()) - before
  const unexpected = route.expectStatus >= 400 ? 0 : load.non2xx3xx
  return { ...load, cpuUsPerRequest: (cpu * 1000) / Math.max(1, load.requests), unexpected }
}

function summarize(runs: readonly Measured[]): Measured {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest)),
    unexpected: runs.reduce((sum, run) => sum + run.unexpected, 0),
  }
}

/** The range of a route's round ratios, to show how far one run can be trusted. */
function spread(ratios: readonly number[]): string {
  if (ratios.length < 2) return '–'
  return `${formatNumber(Math.min(...ratios), 2)}–${formatNumber(Math.max(...ratios), 2)}`
}

async function main(): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), 'edge-feed-bench-'))
  const servers: WorkerdServer[] = []
  try {
    const corpus: BenchCorpus = await prepareCorpus({
      work,
      ...(values.seeds ? { seeds: values.seeds } : {}),
      ...(values.articles ? { articles: Number(values.articles) } : {}),
      topics: Number(values.topics),
    })
    console.log(`[bench] building the worker over ${corpus.label}…`)
    const worker = await buildWorker({ outDir: join(work, 'build'), ...corpus.buildOptions })
    const real = await serveWorker(worker, { port, assetsPort: port + 2 })
    servers.push(real)
    const routes = await discoverLoadRoutes(real)

    const constants: ConstantResponse[] = []
    const bodyBytes = new Map<Route, number>()
    for (const route of routes) {
      const response = await fetch(urlOf(real, route), { headers: route.headers })
      check(
        response.status === route.expectStatus,
        `${route.name}: ${route.path} answered ${response.status}, expected ${route.expectStatus}`,
      )
      const constant = await captureResponse(route.path, response, 'If-None-Match' in route.headers)
      bodyBytes.set(route, constant.body.length)
      constants.push(constant)
    }
    const baselineWorker = await writeBaselineWorker(join(work, 'baseline'), constants, worker)
    const baseline = await serveWorker(baselineWorker, { port: port + 1 })
    servers.push(baseline)
    for (const route of routes) {
      const [fromReal, fromBaseline] = await Promise.all(
        [real, baseline].map((server) =>
          fetch(urlOf(server, route), { headers: route.headers }).then(async (response) => ({
            status: response.status,
            bytes: (await response.arrayBuffer()).byteLength,
          })),
        ),
      )
      check(
        fromReal?.status === fromBaseline?.status && fromReal?.bytes === fromBaseline?.bytes,
        `${route.name}: the baseline answers like the worker`,
      )
    }

    console.log(
      `[bench] ${routes.length} routes × ${rounds} round(s) × ${durationSeconds} s, ${connections} connections, worker and baseline alternating`,
    )
    const runs = new Map<Route, { real: Measured[]; baseline: Measured[] }>()
    for (const route of routes) runs.set(route, { real: [], baseline: [] })
    for (let round = 0; round < rounds; round++) {
      for (const route of routes) {
        const entry = runs.get(route)!
        const order =
          round % 2 === 0 ? (['real', 'baseline'] as const) : (['baseline', 'real'] as const)
        for (const which of order) {
          entry[which].push(await measure(which === 'real' ? real : baseline, route))
        }
      }
    }

    const memory = await real.memory()
    const baselineMemory = await baseline.memory()
    const results = routes.map((route) => {
      const entry = runs.get(route)!
      const worker = summarize(entry.real)
      const base = summarize(entry.baseline)
      check(
        worker.requestsPerSecond > 0 && base.requestsPerSecond > 0,
        `${route.name}: wrk measured requests`,
      )
      check(worker.unexpected === 0, `${route.name}: every loaded response had the expected status`)
      const roundRatios = entry.real.map(
        (run, round) => run.requestsPerSecond / (entry.baseline[round]?.requestsPerSecond || 1),
      )
      const ratio = median(roundRatios)
      return {
        route: route.name,
        path: route.path,
        status: route.expectStatus,
        bodyBytes: bodyBytes.get(route) ?? 0,
        worker,
        baseline: base,
        ratio,
        roundRatios,
        target: route.target,
        met: ratio >= route.target,
      }
    })

    console.log(
      `\nServing, ${corpus.label}: ${rounds} round(s) of ${durationSeconds} s per route, ${connections} connections (wrk), medians; ratio: the median of the rounds' ratios, rounds: their range\n`,
    )
    console.log(
      formatTable(
        [
          'route',
          'status',
          'body',
          'rps',
          'baseline rps',
          'ratio',
          'rounds',
          'target',
          'p50 ms',
          'p99 ms',
          'base p50',
          'base p99',
          'CPU µs/req',
          'base CPU',
        ],
        results.map((result) => [
          result.route,
          String(result.status),
          formatBytes(result.bodyBytes),
          formatNumber(result.worker.requestsPerSecond),
          formatNumber(result.baseline.requestsPerSecond),
          `${formatNumber(result.ratio, 2)}×`,
          spread(result.roundRatios),
          `${result.met ? '≥' : '<'} ${result.target}`,
          formatNumber(result.worker.p50Ms, 2),
          formatNumber(result.worker.p99Ms, 2),
          formatNumber(result.baseline.p50Ms, 2),
          formatNumber(result.baseline.p99Ms, 2),
          formatNumber(result.worker.cpuUsPerRequest),
          formatNumber(result.baseline.cpuUsPerRequest),
        ]),
      ),
    )
    console.log(
      `\nworkerd memory after the run: worker ${formatBytes(memory.rssBytes)} (peak ${formatBytes(memory.peakRssBytes)}), baseline ${formatBytes(baselineMemory.rssBytes)}; bundle ${formatBytes(worker.bundleBytes)} (gzip ${formatBytes(worker.bundleGzipBytes)})`,
    )
    const saved = await saveResults(values.out, `bench-${corpus.slug}`, {
      kind: 'bench',
      corpus: corpus.label,
      date: new Date().toISOString(),
      durationSeconds,
      rounds,
      connections,
      routes: results,
      memory: { worker: memory, baseline: baselineMemory },
      bundle: { bytes: worker.bundleBytes, gzipBytes: worker.bundleGzipBytes },
      checks: { passed: checks.passed, failed: checks.failed },
    })
    console.log(`[bench] results written to ${saved}`)
  } finally {
    for (const server of servers) await server.stop()
    await rm(work, { recursive: true, force: true })
  }
  console.log(`[bench] harness checks: ${checks.passed} passed, ${checks.failed.length} failed`)
  for (const failure of checks.failed) console.error(`[bench] check failed: ${failure}`)
  return checks.failed.length === 0 ? 0 : 1
}

process.exitCode = await main()
