/**
 * The cold path: what the first request costs on a fresh workerd, the way a
 * low-traffic site meets a new isolate. Each sample spawns workerd, waits
 * until it listens and has evaluated the worker's global scope (startup, see
 * serveWorker), sends one request and then the same request again, and reads
 * workerd's CPU time (from /proc, see readProcessCpuMs) around each. A route
 * the asset layer answers alone is timed on the asset layer's process.
 */
import type { SiteRoute } from './site-routes.ts'
import type { BuiltWorker } from './workerd-server.ts'
import { serveWorker } from './workerd-server.ts'

/** One fresh workerd, one route. */
export interface FirstRequestSample {
  /** Spawn to listening with the global scope evaluated, ms. */
  startupMs: number
  /** workerd CPU in that time, ms. */
  startupCpuMs: number
  /** workerd CPU spent on the first request, ms. */
  firstCpuMs: number
  /** Request sent to the whole body read, ms. */
  firstWallMs: number
  /** Request sent to the response headers, ms. */
  firstByteMs: number
  /** workerd CPU spent on the same request right after, ms: what a warm isolate pays. */
  secondCpuMs: number
  status: number
}

/**
 * Measures one sample. A route the asset layer serves alone is requested from
 * the asset socket (the worker does not run for it on Cloudflare); the
 * baseline, which has no assets, answers every route itself.
 */
export async function measureFirstRequest(
  worker: BuiltWorker,
  route: Pick<SiteRoute, 'path' | 'servedBy'>,
  options: { port: number; startupTimeoutMs: number; requestTimeoutMs: number },
): Promise<FirstRequestSample> {
  const asAsset = route.servedBy === 'static asset' && worker.assetsDir !== undefined
  const server = await serveWorker(worker, {
    port: options.port,
    ...(asAsset ? { assetsPort: options.port + 100 } : {}),
    timeoutMs: options.startupTimeoutMs,
  })
  try {
    const url = `${asAsset && server.assetsUrl ? server.assetsUrl : server.url}${route.path}`
    const request = async () => {
      const cpuMs = asAsset ? server.assetsCpuMs : server.cpuMs
      const before = await cpuMs()
      const started = performance.now()
      const response = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      })
      const firstByteMs = performance.now() - started
      await response.arrayBuffer()
      const wallMs = performance.now() - started
      return {
        cpuMs: (await cpuMs()) - before,
        wallMs,
        firstByteMs,
        status: response.status,
      }
    }
    const first = await request()
    const second = await request()
    return {
      startupMs: server.startupMs,
      startupCpuMs: server.startupCpuMs,
      firstCpuMs: first.cpuMs,
      firstWallMs: first.wallMs,
      firstByteMs: first.firstByteMs,
      secondCpuMs: second.cpuMs,
      status: first.status,
    }
  } finally {
    await server.stop()
  }
}
