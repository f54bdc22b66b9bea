/**
 * A bounded load run with wrk (Debian package `wrk`): a fixed number of
 * connections for a fixed duration against one URL, then it stops by itself.
 * wrk is written in C, so on a small machine it takes less of the CPU the
 * worker under test needs than a load generator in Node would.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface LoadOptions {
  /** Seconds; at least 1. */
  durationSeconds: number
  connections: number
  threads?: number
  headers?: Record<string, string>
}

/** What one run measured. */
export interface LoadResult {
  requests: number
  requestsPerSecond: number
  /** Latency percentiles, in ms. */
  p50Ms: number
  p99Ms: number
  /** Responses whose status was not 2xx or 3xx. */
  non2xx3xx: number
  /** Connect, read, write and timeout errors. */
  socketErrors: number
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text)
  if (!match) throw new Error(`[load] cannot read the duration "${text}" in wrk's output`)
  return Number(match[1]) * UNIT_MS[match[2]!]!
}

/** Reads wrk's `--latency` report. Exported for its test. */
export function parseWrkReport(report: string): LoadResult {
  const number = (pattern: RegExp): number | undefined => {
    const match = pattern.exec(report)
    return match ? Number(match[1]) : undefined
  }
  const percentile = (p: number): number => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(report)
    if (!match) throw new Error(`[load] wrk's report has no ${p}% latency:\n${report}`)
    return durationMs(match[1]!)
  }
  const requests = number(/^\s+(\d+) requests in /m)
  const requestsPerSecond = number(/^Requests\/sec:\s+([\d.]+)/m)
  if (requests === undefined || requestsPerSecond === undefined) {
    throw new Error(`[load] wrk's report has no request count:\n${report}`)
  }
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report)
  return {
    requests,
    requestsPerSecond,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    non2xx3xx: number(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
    socketErrors: errors ? errors.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
  }
}

/** Loads `url` for the given duration and returns what wrk measured. */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const args = [
    `--threads=${options.threads ?? 1}`,
    `--connections=${options.connections}`,
    `--duration=${Math.max(1, Math.round(options.durationSeconds))}s`,
    '--timeout=5s',
    '--latency',
  ]
  for (const [name, value] of Object.entries(options.headers ?? {}))
    args.push('--header', `${name}: ${value}`)
  args.push(url)
  try {
    const { stdout } = await run('wrk', args, {
      timeout: (options.durationSeconds + 30) * 1000,
    })
    return parseWrkReport(stdout)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        '[load] wrk: not installed. Install the Debian package `wrk` (listed in .ci/apt-packages)',
      )
    }
    throw error
  }
}
