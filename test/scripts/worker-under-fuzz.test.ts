import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/lib/bench-corpus.ts'
import { freePort } from '../../scripts/lib/free-port.ts'
import { buildWorker, serveWorker, type WorkerdServer } from '../../scripts/lib/workerd-server.ts'
import { rawRequestArbitrary } from '../support/fuzz-requests.ts'
import { checkResponse, type FuzzRequest, isOnSite } from '../support/http-invariants.ts'
import { type RawResponse, sendRaw } from '../support/raw-http.ts'

/**
 * The built worker over a 2,000-article corpus, in workerd, under requests
 * sent byte for byte over sockets (issue 14):
 * - the fuzzer's raw classes — garbage Hosts, backslashes and dot segments,
 *   `OPTIONS *`, CONNECT, content on GET, every precondition and HTTP-date
 *   form — with no 5xx and no Location off the site;
 * - the cost bound: never-seen filter combinations, Hosts and query strings,
 *   each costing workerd less CPU than CPU_CEILING_MS.
 */

const ARTICLES = 2000
const TOPICS = 20
/** Raw fuzz requests sent over sockets. */
const FUZZ_RUNS = 1500
/**
 * The most CPU (ms, all of workerd's threads, socket handling included) one
 * never-seen request may cost. With every document prerendered at build
 * time, such requests cost a median of about 3.5 ms and at most about 18 ms
 * on a loaded 2-core machine over 2,000 articles; the ceiling leaves room
 * for a slower CI runner, and anything whose cost grows with the archive (a
 * render of every article, a filter over all of them) goes far past it. The
 * figures are printed after each run; CPU_CEILING_MS overrides the ceiling.
 * A process's CPU clock also catches what the runtime does between requests
 * (a garbage collection, a compile), so one request in a hundred may pass the
 * ceiling on a busy machine; the median may not pass MEDIAN_CEILING_MS, which
 * a cost that grows with the archive (17–25 ms before prerendering) breaks.
 */
const CPU_CEILING_MS = Number(process.env.CPU_CEILING_MS ?? 60)
const MEDIAN_CEILING_MS = Number(process.env.MEDIAN_CEILING_MS ?? 12)

let work: string
let server: WorkerdServer
let port: number
let knownPaths: string[] = []
let topics: string[] = []

/**
 * The request head (request line and header lines) a FuzzRequest describes.
 * Methods go in upper case: workerd's HTTP parser answers a lower-case one
 * (`patch`) with 501 itself, before any worker runs (RFC 9110 section 9.1).
 */
function headOf(request: FuzzRequest): string {
  const host = request.origin.replace(/^https?:\/\//, '')
  const lines = [`${request.method.toUpperCase()} ${request.target} HTTP/1.1`, `Host: ${host}`]
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`)
  if (request.bodyBytes) lines.push(`Content-Length: ${request.bodyBytes}`)
  return lines.join('\r\n')
}

/** A Response for the invariant checks; only statuses fetch can represent. */
function toResponse(raw: RawResponse, method: string): Response {
  const empty = method === 'HEAD' || [204, 304].includes(raw.status)
  const headers = new Headers()
  for (const [name, value] of raw.headers) if (name) headers.append(name, value)
  return new Response(empty ? null : new Uint8Array(raw.body), {
    status: raw.status >= 200 && raw.status <= 599 ? raw.status : 599,
    headers,
  })
}

/** The fuzz class a raw request belongs to, for the figures. */
function classOf(request: FuzzRequest): string {
  const names = request.headers.map(([name]) => name.toLowerCase())
  if (request.method === 'CONNECT') return 'CONNECT'
  if (request.target === '*') return 'asterisk target'
  if (request.bodyBytes) return 'content on GET/HEAD'
  if (
    !/^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\]|news\.example\.com|xn--)/.test(request.origin)
  ) {
    return 'garbage Host'
  }
  if (/\\|(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(request.target))
    return 'backslash or dot-segment path'
  if (names.some((name) => name === 'if-match' || name === 'if-unmodified-since')) {
    return 'If-Match / If-Unmodified-Since'
  }
  if (names.some((name) => name === 'range' || name === 'if-range')) return 'Range / If-Range'
  if (names.some((name) => name === 'if-modified-since')) return 'If-Modified-Since dates'
  return 'other raw requests'
}

const tally = {
  byClass: new Map<string, number>(),
  byStatus: new Map<number, number>(),
  serverErrors: 0,
  offSite: 0,
}
const costs: { what: string; cpuMs: number }[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'worker-under-fuzz-'))
  await writeCorpus(join(work, 'corpus'), ARTICLES, TOPICS)
  const worker = await buildWorker({ outDir: join(work, 'build'), seeds: join(work, 'corpus') })
  port = await freePort()
  server = await serveWorker(worker, { port })
  const get = async (target: string) =>
    (await sendRaw(port, `GET ${target} HTTP/1.1\r\nHost: localhost:8787`)).body.toString()
  topics = [
    ...(await get('/topics/')).matchAll(/href="http:\/\/localhost:8787\/topics\/([^/"]+)\/"/g),
  ].map((match) => match[1]!)
  const articles = [
    ...(await get('/sitemap.xml')).matchAll(
      /<loc>http:\/\/localhost:8787(\/articles\/[^<]+)<\/loc>/g,
    ),
  ]
    .map((match) => match[1]!)
    .slice(0, 50)
  knownPaths = [
    '/',
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/topics/',
    ...articles,
    ...topics.map((slug) => `/topics/${slug}/`),
  ]
  expect(topics.length).toBe(TOPICS)
}, 600_000)

afterAll(async () => {
  await server?.stop()
  await rm(work, { recursive: true, force: true })
  const classes = [...tally.byClass].map(([name, count]) => `${name}: ${count}`)
  const statuses = [...tally.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
  console.log(
    `[fuzz:runtime] ${FUZZ_RUNS} raw requests, ${tally.serverErrors} 5xx, ${tally.offSite} off-site Locations (${statuses.join(', ')})\n[fuzz:runtime] by class: ${classes.join('; ')}`,
  )
  if (costs.length > 0) {
    const sorted = [...costs].sort((a, b) => b.cpuMs - a.cpuMs)
    const median = sorted[Math.floor(sorted.length / 2)]!.cpuMs
    console.log(
      `[cost] ${costs.length} never-seen requests over ${ARTICLES} articles: median ${median.toFixed(2)} ms, max ${sorted[0]!.cpuMs.toFixed(2)} ms (${sorted[0]!.what}) of workerd CPU; ceiling ${CPU_CEILING_MS} ms`,
    )
  }
})

describe(`the built worker over ${ARTICLES} articles, in workerd, over raw HTTP`, () => {
  it(`answers ${FUZZ_RUNS} raw fuzz requests with no 5xx and no Location off the site`, async () => {
    const requests = fc.sample(rawRequestArbitrary(knownPaths, { bodies: true, connect: true }), {
      numRuns: FUZZ_RUNS,
      seed: 14,
    })
    for (const request of requests) {
      const name = classOf(request)
      tally.byClass.set(name, (tally.byClass.get(name) ?? 0) + 1)
      const sent = { ...request, method: request.method.toUpperCase() }
      const raw = await sendRaw(
        port,
        headOf(sent),
        new Uint8Array(request.bodyBytes ?? 0).fill(0x61),
      )
      tally.byStatus.set(raw.status, (tally.byStatus.get(raw.status) ?? 0) + 1)
      const what = `${JSON.stringify(request).slice(0, 300)} → ${raw.status}`
      if (raw.status >= 500) tally.serverErrors++
      const location = raw.header('location')
      if (location !== null && !isOnSite(location)) tally.offSite++
      // Status 0: workerd closed the connection without an answer (a request it could not parse).
      if (raw.status !== 0) expect(raw.status, what).toBeGreaterThanOrEqual(200)
      expect(raw.status, what).toBeLessThan(500)
      if (location !== null) expect(isOnSite(location), what).toBe(true)
      // workerd answers a request line or header it cannot parse itself, before the worker runs;
      // every answer of the worker carries nosniff and is checked in full.
      if (raw.header('x-content-type-options') !== null) {
        expect(await checkResponse(sent, toResponse(raw, sent.method)), what).toEqual([])
      }
    }
    expect(tally.serverErrors).toBe(0)
    expect(tally.offSite).toBe(0)
  }, 600_000)

  it(`spends under ${CPU_CEILING_MS} ms of CPU on any never-seen filter combination, Host or query string`, async () => {
    const random = fc.sample(
      fc.tuple(
        fc.uniqueArray(fc.constantFrom(...topics), { minLength: 2, maxLength: 5 }),
        fc.uniqueArray(fc.constantFrom(...topics), { maxLength: 3 }),
        fc.constantFrom('rss.xml', 'atom.xml', 'feed.json'),
      ),
      { numRuns: 120, seed: 14 },
    )
    const targets: [string, string][] = []
    for (const [index, [include, leave, file]] of random.entries()) {
      const exclude = leave.filter((slug) => !include.includes(slug))
      const query = `topics=${[...include].sort().join(',')}${exclude.length ? `&exclude=${[...exclude].sort().join(',')}` : ''}`
      targets.push([`/${file}?${query}`, 'localhost:8787'])
      if (index % 3 === 0) targets.push([`/${file}`, `h${index}.example`])
      if (index % 3 === 1) targets.push([`/topics/${include[0]}/${file}`, `t${index}.example:8080`])
      if (index % 3 === 2) targets.push([`/${file}?${query}&utm_source=${index}`, 'localhost:8787'])
    }
    targets.push(
      ['/', 'home.example'],
      ['/sitemap.xml', 'map.example'],
      ['/topics/', 'list.example'],
    )
    // The first request starts the isolate; the bound is about every request after it.
    await sendRaw(port, 'GET /rss.xml HTTP/1.1\r\nHost: localhost:8787')
    for (const [target, host] of targets) {
      const before = await server.cpuMs()
      const response = await sendRaw(port, `GET ${target} HTTP/1.1\r\nHost: ${host}`)
      const cpuMs = (await server.cpuMs()) - before
      expect([200, 301], `${host} ${target}`).toContain(response.status)
      costs.push({ what: `${host}${target}`, cpuMs })
    }
    const over = costs.filter((cost) => cost.cpuMs > CPU_CEILING_MS)
    expect(
      over.length,
      `requests over ${CPU_CEILING_MS} ms of CPU: ${JSON.stringify(over)}`,
    ).toBeLessThanOrEqual(Math.floor(costs.length / 100))
    const sorted = costs.map((cost) => cost.cpuMs).sort((a, b) => a - b)
    expect(sorted[Math.floor(sorted.length / 2)], 'median CPU ms').toBeLessThanOrEqual(
      MEDIAN_CEILING_MS,
    )
  }, 600_000)
})
