/**
 * WebSub publishing (W3C WebSub section 4 leaves the ping to the hub; every
 * public hub takes the same form): one `POST` per changed feed, form-encoded
 * `hub.mode=publish&hub.url=<feed URL>`. A hub that is down or slow never
 * fails the caller: each ping has a bounded timeout, and failures are
 * reported and logged, not thrown.
 */

/** Seconds to wait for the hub before giving up on a ping. */
export const HUB_TIMEOUT_MS = 5_000

export interface PingResult {
  url: string
  ok: boolean
  /** HTTP status, or the reason there is none (timeout, network error). */
  detail: string
}

export interface NotifyOptions {
  timeoutMs?: number
  /** Where failures are logged; console.warn by default. */
  log?: (message: string) => void
}

async function ping(hub: string, url: string, timeoutMs: number): Promise<PingResult> {
  try {
    const response = await fetch(hub, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The body is not needed; reading it frees the connection.
    await response.body?.cancel()
    return { url, ok: response.ok, detail: String(response.status) }
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    const detail =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer in ${timeoutMs} ms`
        : String(error)
    return { url, ok: false, detail }
  }
}

/** Tells the hub that each of the feeds changed; resolves with one result per feed, never rejects. */
export async function notifyHub(
  hub: string,
  feedUrls: readonly string[],
  options: NotifyOptions = {},
): Promise<PingResult[]> {
  const timeoutMs = options.timeoutMs ?? HUB_TIMEOUT_MS
  const log = options.log ?? ((message: string) => console.warn(message))
  const results = await Promise.all(feedUrls.map((url) => ping(hub, url, timeoutMs)))
  for (const result of results) {
    if (!result.ok) log(`[websub] ${hub}: publish ping for ${result.url} failed: ${result.detail}`)
  }
  return results
}
