/**
 * `npm run bench`: serving throughput of the real worker against a baseline
 * worker that returns constant responses, both in workerd, in the same run.
 *
 * Builds the worker over a corpus (seeds/ by default), serves it with workerd,
 * captures each route's response, serves those bytes from the baseline, then
 * loads every route on both with wrk for a fixed duration, alternating which
 * goes first each round. Prints a table and writes results/bench-*.json.
 *
 *   npm run bench -- [--articles N [--topics T] | --seeds DIR] [--duration 5] [--rounds 2]
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

const durationSeconds = Number(values.duration ?? (values.short ? 1 : 5))
const rounds = Number(values.rounds ?? (values.short ? 1 : 2))
const connections = Number(values.connections)
const port = Number(values.port)

/** Checks of the harness itself: a failed one means the harness or the worker broke. */
const checks = { passed: 0, failed: [] as string[] }
function check(ok: boolean, what: string): boolean {
  if (ok) checks.passed++
  else checks.failed.push(what)
  return ok
}

async function discoverRoutes(server: WorkerdServer): Promise<Route[]> {
  const routes: Route[] = [
    { name: 'site feed, RSS', path: '/rss.xml', headers: {}, expectStatus: 200, target: 0.9 },
    { name: 'site feed, Atom', path: '/atom.xml', headers: {}, expectStatus: 200, target: 0.9 },
    { name: 'site feed, JSON', path: '/feed.json', headers: {}, expectStatus: 200, target: 0.9 },
  ]
  const feed = (await (await fetch(`${server.url}/feed.json`)).json()) as {
    items?: { url?: string }[]
    next_url?: string
  }
  const topicsPage = await (await fetch(`${server.url}/topics/`)).text()
  const topics = [...topicsPage.matchAll(/href="[^"]*\/topics\/([^/"]+)\/"/g)].map(
    (match) => match[1]!,
  )
  const topic = topics[0]
  if (check(topic !== undefined, 'the topics page links to a topic') && topic) {
    routes.push({
      name: 'topic feed, RSS',
      path: `/topics/${topic}/rss.xml`,
      headers: {},
      expectStatus: 200,
      target: 0.9,
    })
  }
  // A filtered feed, where the worker has them: two topics, in the spelling it redirects to.
  if (topics.length >= 2) {
    const asked = `/feed.json?topics=${topics.slice(0, 2).join(',')}`
    const response = await fetch(`${server.url}${asked}`, { redirect: 'manual' })
    const path = response.status === 301 ? response.headers.get('location') : asked
    if (path && (response.status === 200 || response.status === 301)) {
      routes.push({
        name: 'filtered feed, JSON',
        path,
        headers: {},
        expectStatus: 200,
        target: 0.9,
      })
    }
  }
  // An archive feed exists when the site feed links to one (RFC 5005, JSON Feed next_url).
  if (feed.next_url) {
    const next = new URL(feed.next_url)
    routes.push({
      name: 'archive feed, JSON',
      path: next.pathname + next.search,
      headers: {},
      expectStatus: 200,
      target: 0.9,
    })
  }
  // The oldest item of the site feed: its page is a static asset whenever the build wrote them.
  const oldest = feed.items?.at(-1)?.url
  if (check(oldest !== undefined, 'the site feed has an item with a URL') && oldest) {
    const path = new URL(oldest).pathname
    const asset = server.assetsUrl !== undefined && (await fetch(`${server.assetsUrl}${path}`)).ok
    routes.push({
      name: asset ? 'article page (static asset)' : 'article page',
      path,
      asset,
      headers: {},
      expectStatus: 200,
      target: 0.9,
    })
  }
  routes.push({ name: 'home page', path: '/', headers: {}, expectStatus: 200, target: 0.9 })
  const etag = (await fetch(`${server.url}/rss.xml`)).headers.get('etag')
  if (check(etag !== null, 'the site feed has an ETag') && etag) {
    routes.push({
      name: '304 (site feed, If-None-Match)',
      path: '/rss.xml',
      headers: { 'If-None-Match': etag },
      expectStatus: 304,
      target: 0.95,
    })
  }
  routes.push({
    name: 'not found (404)',
    path: '/no-such-page/',
    headers: {},
    expectStatus: 404,
    target: 0.9,
  })
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
    const routes = await discoverRoutes(real)

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
      const ratio = worker.requestsPerSecond / base.requestsPerSecond
      return {
        route: route.name,
        path: route.path,
        status: route.expectStatus,
        bodyBytes: bodyBytes.get(route) ?? 0,
        worker,
        baseline: base,
        ratio,
        target: route.target,
        met: ratio >= route.target,
      }
    })

    console.log(
      `\nServing, ${corpus.label}: ${rounds} round(s) of ${durationSeconds} s per route, ${connections} connections (wrk), medians\n`,
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
