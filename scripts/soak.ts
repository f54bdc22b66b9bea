/**
 * The soak test: the worker built as `wrangler deploy` builds it, served by
 * workerd on 127.0.0.1, under a bounded load of 64 keep-alive connections for
 * 60 s over a mix of feeds, pages, 304s and 404s. It reports requests,
 * errors, p50/p99 latency and workerd's memory, and fails when any response
 * has the wrong status or memory keeps growing.
 *
 *   npm run soak                      # 60 s, 64 connections, port 8770
 *   npm run soak -- --duration 10     # the CI version
 *   npm run soak -- --seeds /tmp/corpus-10k   # over another folder of articles (npm run corpus)
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type MixEntry, runMixedLoad } from './lib/mixed-load.ts'
import { buildWorker, serveWorker, type WorkerdServer } from './lib/workerd-server.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '64' },
    port: { type: 'string', default: '8770' },
    warmup: { type: 'string', default: '3' },
    out: { type: 'string', default: 'results/soak.json' },
    // A folder of articles to build the worker over instead of seeds/, such as a generated corpus.
    seeds: { type: 'string' },
  },
})

/**
 * Memory must not grow without bound. Two measures, because they tell
 * different things. workerd's resident memory climbs for the first 20 s or so
 * of load (buffers and allocator arenas for 64 connections) and then levels
 * off, near 250 MiB here, so it is held to a ceiling twice that. The worker's
 * JavaScript heap is where a leak in our code would live: V8 lets it grow
 * between major collections (to ~40 MiB here, then back to under 2 MiB), so
 * its lowest point in the last third of the run, which is after a collection
 * when there was one, may not exceed where it started by more than 40 MiB. A
 * leak of about a kilobyte per request fails a 60 s run at the rates reached here.
 */
const MAX_RSS_MIB = 512
const MAX_HEAP_GROWTH_MIB = 40

const MiB = 1024 * 1024

/** The site's documents, found the way a crawler finds them, each with the ETag it answers with. */
async function discoverMix(url: string): Promise<MixEntry[]> {
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`)
    if (response.status !== 200) throw new Error(`[soak] GET ${path} answered ${response.status}`)
    return { etag: response.headers.get('etag') ?? '', text: await response.text() }
  }
  const feed = JSON.parse((await get('/feed.json')).text) as { items: { url: string }[] }
  const topics = [...(await get('/topics/')).text.matchAll(/href="[^"]*?(\/topics\/[^/"]+\/)"/g)]
    .map((match) => match[1]!)
    .filter((path, index, all) => all.indexOf(path) === index)
  const articles = feed.items.map((item) => new URL(item.url).pathname)
  const feeds = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    ...topics.flatMap((topic) => [`${topic}rss.xml`, `${topic}atom.xml`, `${topic}feed.json`]),
  ]
  const pages = ['/', '/topics/', ...topics, ...articles]
  const mix: MixEntry[] = []
  for (const path of feeds) mix.push({ kind: 'feed', path, status: 200, weight: 40 / feeds.length })
  for (const path of pages) mix.push({ kind: 'page', path, status: 200, weight: 30 / pages.length })
  for (const path of [...feeds, ...pages]) {
    const { etag } = await get(path)
    mix.push({
      kind: '304',
      path,
      headers: { 'If-None-Match': etag },
      status: 304,
      weight: 20 / (feeds.length + pages.length),
    })
  }
  const missing = ['/no-such-page', '/articles/no-such-article/', '/topics/no-such-topic/rss.xml']
  for (const path of missing)
    mix.push({ kind: '404', path, status: 404, weight: 10 / missing.length })
  return mix
}

async function main(): Promise<number> {
  const duration = Number(values.duration)
  const connections = Number(values.connections)
  console.log('[soak] building the worker (wrangler deploy --dry-run) …')
  const worker = await buildWorker({
    outDir: 'results/soak-worker',
    ...(values.seeds ? { seeds: values.seeds } : {}),
  })
  let server: WorkerdServer | undefined
  try {
    server = await serveWorker(worker, {
      port: Number(values.port),
      inspectorPort: Number(values.port) + 1,
    })
    const idle = await server.memory()
    const mix = await discoverMix(server.url)
    console.log(
      `[soak] workerd pid ${server.pid} on ${server.url}; ${mix.length} kinds of request; warming up for ${values.warmup} s`,
    )
    await runMixedLoad({
      url: server.url,
      mix,
      connections,
      durationSeconds: Number(values.warmup),
    })
    const start = await server.memory()
    const samples: number[] = [start.rssBytes]
    const heapSamples: number[] = [(await server.heapUsage()).usedBytes]
    const sampler = setInterval(() => {
      void server?.memory().then((memory) => samples.push(memory.rssBytes))
      void server?.heapUsage().then((usage) => heapSamples.push(usage.usedBytes))
    }, 500)
    console.log(`[soak] ${connections} connections for ${duration} s …`)
    const result = await runMixedLoad({
      url: server.url,
      mix,
      connections,
      durationSeconds: duration,
    })
    clearInterval(sampler)
    const end = await server.memory()
    samples.push(end.rssBytes)

    const heapStart = heapSamples[0]!
    const heapLate = Math.min(...heapSamples.slice(Math.floor((heapSamples.length * 2) / 3)))
    const peak = Math.max(...samples)
    const checks: [string, boolean][] = [
      ['no errors', result.errors === 0],
      [`workerd's memory stays under ${MAX_RSS_MIB} MiB`, peak <= MAX_RSS_MIB * MiB],
      [
        `the worker's heap in the last third is within ${MAX_HEAP_GROWTH_MIB} MiB of its start`,
        heapLate <= heapStart + MAX_HEAP_GROWTH_MIB * MiB,
      ],
      [
        'feeds, pages, 304s and 404s all served',
        ['feed', 'page', '304', '404'].every((kind) => (result.byKind[kind] ?? 0) > 0),
      ],
    ]
    const report = {
      durationSeconds: duration,
      connections,
      requests: result.requests,
      requestsPerSecond: Math.round(result.requestsPerSecond),
      errors: result.errors,
      errorSamples: result.errorSamples,
      byKind: result.byKind,
      latencyMs: { p50: result.p50Ms, p99: result.p99Ms, max: result.maxMs },
      memoryMiB: {
        idle: idle.rssBytes / MiB,
        start: start.rssBytes / MiB,
        peak: peak / MiB,
        heapStart: heapStart / MiB,
        heapLowestInLastThird: heapLate / MiB,
        end: end.rssBytes / MiB,
        // Read every 500 ms, or later when the load keeps this process busy.
        rssSamples: samples.map((bytes) => Math.round((bytes / MiB) * 10) / 10),
        heapSamples: heapSamples.map((bytes) => Math.round((bytes / MiB) * 100) / 100),
      },
      checks: Object.fromEntries(checks),
    }
    const out = resolve(values.out)
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`)

    const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
    console.log(
      `[soak] requests:   ${result.requests} (${report.requestsPerSecond}/s; ${Object.entries(
        result.byKind,
      )
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')})`,
    )
    console.log(
      `[soak] errors:     ${result.errors}${result.errorSamples.length ? `\n  ${result.errorSamples.join('\n  ')}` : ''}`,
    )
    console.log(
      `[soak] latency:    p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(1)} ms`,
    )
    console.log(
      `[soak] memory:     workerd idle ${mib(idle.rssBytes)}, start ${mib(start.rssBytes)}, peak ${mib(peak)}, end ${mib(end.rssBytes)}; JS heap start ${mib(heapStart)}, lowest in the last third ${mib(heapLate)}`,
    )
    for (const [name, ok] of checks) console.log(`[soak] ${ok ? 'ok  ' : 'FAIL'} ${name}`)
    const failed = checks.filter(([, ok]) => !ok).length
    console.log(
      `[soak] checks: ${checks.length - failed} passed, ${failed} failed (report in ${values.out})`,
    )
    return failed === 0 ? 0 : 1
  } finally {
    await server?.stop()
  }
}

process.exitCode = await main()
