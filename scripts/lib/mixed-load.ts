/**
 * A bounded load run over a mix of requests, each with the status it must
 * get: a fixed number of keep-alive connections for a fixed time against
 * 127.0.0.1, then it stops by itself. Written in Node rather than with wrk
 * because every response is checked, not only counted.
 */
import { Agent, request } from 'node:http'

/** One kind of request in the mix. */
export interface MixEntry {
  /** Group it is reported under: feed, page, 304, 404… */
  kind: string
  path: string
  headers?: Record<string, string>
  /** The status it must get; anything else is an error. */
  status: number
  /** How often it is picked relative to the others. */
  weight: number
}

export interface MixedLoadOptions {
  /** `http://127.0.0.1:PORT` */
  url: string
  mix: readonly MixEntry[]
  connections: number
  durationSeconds: number
  /** Each request gives up after this many ms; default 10 s. */
  timeoutMs?: number
}

export interface MixedLoadResult {
  requests: number
  /** Wrong statuses, timeouts and connection failures. */
  errors: number
  /** The first few errors, as text. */
  errorSamples: string[]
  byKind: Record<string, number>
  p50Ms: number
  p99Ms: number
  maxMs: number
  requestsPerSecond: number
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Picks mix entries by weight with a fixed-seed generator, so runs are repeatable. */
function createPicker(mix: readonly MixEntry[]): () => MixEntry {
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0)
  let seed = 0x2545f491
  return () => {
    // xorshift32: cheap and good enough to spread requests over the mix.
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    let ticket = ((seed >>> 0) / 0x1_0000_0000) * total
    for (const entry of mix) {
      ticket -= entry.weight
      if (ticket < 0) return entry
    }
    return mix[mix.length - 1]!
  }
}

function send(
  agent: Agent,
  base: URL,
  entry: MixEntry,
  timeoutMs: number,
): Promise<{ status?: number; error?: string }> {
  return new Promise((done) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: entry.path,
        headers: entry.headers,
        timeout: timeoutMs,
      },
      (response) => {
        response.resume()
        response.once('end', () => done({ status: response.statusCode }))
        response.once('error', (error) => done({ error: error.message }))
      },
    )
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.once('error', (error) => done({ error: error.message }))
    req.end()
  })
}

/** Runs the mix and reports what it measured. */
export async function runMixedLoad(options: MixedLoadOptions): Promise<MixedLoadResult> {
  const base = new URL(options.url)
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const pick = createPicker(options.mix)
  const timeoutMs = options.timeoutMs ?? 10_000
  const latencies: number[] = []
  const byKind: Record<string, number> = {}
  const errorSamples: string[] = []
  let errors = 0
  const started = performance.now()
  const deadline = started + options.durationSeconds * 1000

  async function connection(): Promise<void> {
    while (performance.now() < deadline) {
      const entry = pick()
      const sent = performance.now()
      const outcome = await send(agent, base, entry, timeoutMs)
      latencies.push(performance.now() - sent)
      byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1
      if (outcome.status !== entry.status) {
        errors++
        if (errorSamples.length < 10) {
          errorSamples.push(
            `${entry.path}: ${outcome.error ?? `status ${outcome.status}`}, expected ${entry.status}`,
          )
        }
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, connection))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  const sorted = Float64Array.from(latencies).sort()
  return {
    requests: latencies.length,
    errors,
    errorSamples,
    byKind,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    requestsPerSecond: latencies.length / elapsed,
  }
}
