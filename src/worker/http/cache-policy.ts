/**
 * How long readers and caches may keep a response (RFC 9111), and how long
 * they may serve it stale while they fetch it again (RFC 5861). The
 * subscription feeds and pages change when articles are published, so they
 * get the configured short lifetime, never reaching past the moment the next
 * future-dated article becomes due. Closed archives do not change, so they
 * are kept long.
 */

/** Seconds a closed archive may be reused: 30 days. */
export const ARCHIVE_MAX_AGE = 2_592_000

/** Seconds a cache may serve a response while the worker is failing: one day (RFC 5861 section 4). */
export const STALE_IF_ERROR = 86_400

function directives(maxAge: number, staleWhileRevalidate: number): string {
  const revalidate =
    staleWhileRevalidate > 0 ? `, stale-while-revalidate=${staleWhileRevalidate}` : ''
  return `public, max-age=${maxAge}${revalidate}, stale-if-error=${STALE_IF_ERROR}`
}

/**
 * Cache-Control of a document that changes when articles are published: the
 * configured lifetime (and as long again stale while revalidating), both cut
 * short so that no cache serves it past the moment an article becomes due.
 */
export function changingCacheControl(
  maxAge: number,
  now: number,
  nextDue: number | undefined,
): string {
  if (nextDue === undefined) return directives(maxAge, maxAge)
  const untilDue = Math.max(0, Math.ceil((nextDue - now) / 1000))
  const fresh = Math.min(maxAge, untilDue)
  return directives(fresh, Math.min(maxAge, untilDue - fresh))
}

/** Cache-Control of a closed archive. */
export function archiveCacheControl(): string {
  return directives(ARCHIVE_MAX_AGE, STALE_IF_ERROR)
}
