import type { Representation } from './representation.ts'

/**
 * Conditional GET (RFC 9110 section 13). If-None-Match takes precedence over
 * If-Modified-Since (section 13.2.2), and is compared weakly (section
 * 13.1.2): `W/"x"` matches `"x"`.
 */

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag
}

/** True when the If-None-Match field lists the representation's tag, or is `*`. */
export function matchesIfNoneMatch(field: string, etag: string): boolean {
  const wanted = opaqueTag(etag)
  // Entity tags may contain commas inside quotes, so split on the tags themselves.
  const tags = field.match(/(?:W\/)?"[^"]*"|\*/g) ?? []
  return tags.some((tag) => tag === '*' || opaqueTag(tag) === wanted)
}

/** Parses an HTTP-date; undefined for anything else (section 13.1.3: an invalid date is ignored). */
function parseHttpDate(value: string): number | undefined {
  if (!/^[A-Za-z]{3},\s\d{2}\s[A-Za-z]{3}\s\d{4}\s\d{2}:\d{2}:\d{2}\sGMT$/.test(value.trim())) {
    return undefined
  }
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000)
}

/** Decides whether a GET or HEAD for this representation can be answered 304 Not Modified. */
export function isNotModified(headers: Headers, representation: Representation): boolean {
  const ifNoneMatch = headers.get('if-none-match')
  if (ifNoneMatch !== null) return matchesIfNoneMatch(ifNoneMatch, representation.etag)
  const ifModifiedSince = headers.get('if-modified-since')
  if (ifModifiedSince === null || representation.lastModifiedSeconds === undefined) return false
  const since = parseHttpDate(ifModifiedSince)
  return since !== undefined && representation.lastModifiedSeconds <= since
}
