import { env, exports } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import worker from '../../../src/index.ts'
import { UNHANDLED_ERROR_LOG } from '../../../src/worker/http/top-level-guard.ts'
import { METHODS, rawRequestArbitrary, requestArbitrary } from '../../support/fuzz-requests.ts'
import {
  checkResponse,
  type FuzzRequest,
  isOnSite,
  toRequest,
} from '../../support/http-invariants.ts'

/**
 * Fuzzing the deployed worker (src/index.ts over seeds/) inside workerd with
 * 25,000 generated requests: 20,000 call its fetch handler directly, as the
 * runtime does, 1,000 more go through the runtime's own dispatch
 * (`exports.default.fetch`), and 4,000 carry their target and Host raw, as
 * workerd hands them to the handler for `curl --path-as-is` or a Host of `a b`. A failure is shrunk by fast-check to a minimal
 * request and printed as JSON: add it to fuzz-regressions.json, which
 * fuzz-regressions.test.ts replays on every run, then fix the worker.
 */

/** Requests per property; four properties make the 20,000. */
const RUNS = 5_000
/** Requests through the runtime's dispatch, which is about ten times slower per request. */
const RUNTIME_RUNS = 1_000
/** Raw requests straight to the handler; the same classes go to workerd over sockets in test/scripts/worker-under-fuzz.test.ts. */
const RAW_RUNS = 4_000
const ORIGIN = 'http://localhost:8787'

let knownPaths: string[] = []
const tally = {
  sent: 0,
  serverErrors: 0,
  offSite: 0,
  byStatus: new Map<number, number>(),
  byClass: new Map<string, number>(),
}
/** Every call of console.error: the top-level guard logs there, and nothing may reach it. */
const errorLog = vi.spyOn(console, 'error')

type Via = 'handler' | 'runtime'

async function send(request: FuzzRequest, via: Via, name: string): Promise<void> {
  tally.byClass.set(name, (tally.byClass.get(name) ?? 0) + 1)
  const response =
    via === 'handler'
      ? await worker.fetch(toRequest(request), env)
      : await exports.default.fetch(toRequest(request), { redirect: 'manual' })
  tally.sent++
  tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1)
  if (response.status >= 500) tally.serverErrors++
  const location = response.headers.get('location')
  if (location !== null && !isOnSite(location)) tally.offSite++
  const problems = await checkResponse(request, response)
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}\nregression case: ${JSON.stringify(request)}`)
  }
}

beforeAll(async () => {
  // The site's real paths, found the way a crawler would: from its own pages.
  const topics = await (await exports.default.fetch(`${ORIGIN}/topics/`)).text()
  const feed = (await (await exports.default.fetch(`${ORIGIN}/feed.json`)).json()) as {
    items: { url: string }[]
  }
  const topicPaths = [
    ...topics.matchAll(/href="http:\/\/localhost:8787(\/topics\/[^/"]+\/)"/g),
  ].map((match) => match[1]!)
  knownPaths = [
    '/',
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/topics/',
    '/style.css',
    ...feed.items.map((item) => new URL(item.url).pathname),
    ...topicPaths.flatMap((path) => [
      path,
      `${path}rss.xml`,
      `${path}atom.xml`,
      `${path}feed.json`,
    ]),
  ]
  expect(topicPaths.length).toBeGreaterThan(0)
  expect(feed.items.length).toBeGreaterThan(0)
})

afterAll(() => {
  const statuses = [...tally.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
  const classes = [...tally.byClass].map(([name, count]) => `${name}: ${count}`)
  console.log(
    `[fuzz] ${tally.sent} requests sent, ${tally.serverErrors} 5xx, ${tally.offSite} off-site Locations (${statuses.join(', ')})\n[fuzz] by class: ${classes.join('; ')}`,
  )
})

describe('the worker under 25,000 generated requests', () => {
  const property = (
    name: string,
    shape: (arbitrary: fc.Arbitrary<FuzzRequest>) => fc.Arbitrary<FuzzRequest>,
    { via = 'handler', runs = RUNS }: { via?: Via; runs?: number } = {},
  ) =>
    it(`${name}: no 5xx, fitting statuses, small error bodies, nothing reflected, every feed parses`, async () => {
      const requests = shape(requestArbitrary(knownPaths))
      await fc.assert(
        fc.asyncProperty(requests, (request) => send(request, via, name)),
        { numRuns: runs },
      )
    }, 120_000)

  property('any request', (requests) => requests)
  property('GET and HEAD of bent paths', (requests) =>
    requests.map((request) => ({ ...request, method: request.target.length % 2 ? 'GET' : 'HEAD' })),
  )
  property('known documents with garbage validators and Accept values', (requests) =>
    fc
      .tuple(requests, fc.constantFrom(...knownPaths))
      .map(([request, path]) => ({ ...request, target: path })),
  )
  property('every method', (requests) =>
    fc
      .tuple(requests, fc.constantFrom(...METHODS))
      .map(([request, method]) => ({ ...request, method })),
  )
  property('any request, through the runtime', (requests) => requests, {
    via: 'runtime',
    runs: RUNTIME_RUNS,
  })
  it(`raw targets and Hosts as workerd hands them over (backslashes, dot segments, garbage Hosts, OPTIONS *): no 5xx, no off-site Location`, async () => {
    await fc.assert(
      fc.asyncProperty(rawRequestArbitrary(knownPaths), (request) =>
        send(request, 'handler', 'raw targets and Hosts'),
      ),
      { numRuns: RAW_RUNS },
    )
  }, 120_000)

  it('sent every request, saw no server error and no off-site Location, and the top-level guard was never reached', () => {
    expect(tally.sent).toBe(4 * RUNS + RUNTIME_RUNS + RAW_RUNS)
    expect(tally.serverErrors).toBe(0)
    expect(tally.offSite).toBe(0)
    const guarded = errorLog.mock.calls.filter((call) => call[0] === UNHANDLED_ERROR_LOG)
    expect(guarded).toEqual([])
  })
})
