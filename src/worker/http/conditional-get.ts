import { plainErrorResponse } from './error-bodies.ts'
import { parseHttpDate } from './http-date.ts'

/**
 * Conditional requests (RFC 9110 section 13) on this read-only site: every
 * precondition a GET or HEAD can carry, evaluated in the order section
 * 13.2.2 gives. If-Match and If-Unmodified-Since can fail with 412;
 * If-None-Match and If-Modified-Since turn the answer into 304. If-Range
 * only qualifies a Range, and ranges are not served (section 14.2 lets a
 * server ignore Range), so both are ignored.
 */

/** What conditional requests are judged on: a representation's validators. */
export interface Validators {
  /** Strong entity tag, quoted (section 8.8.3). */
  etag: string
  /** Last-Modified, in whole seconds since the epoch, when the representation has one. */
  lastModifiedSeconds?: number
}

/** The outcome of the preconditions: serve the representation, 304, or 412. */
export type PreconditionOutcome = 'serve' | 'not-modified' | 'failed'

/** An entity-tag (section 8.8.3): `"…"` or `W/"…"`, etagc being %x21 / %x23-7E / obs-text. */
const ENTITY_TAG = /(?:W\/)?"[\x21\x23-\x7E\x80-\xFF]*"/g

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag
}

/** The entity-tags of a list field; members that are not entity-tags are ignored. */
function listedTags(field: string): string[] {
  return field.match(ENTITY_TAG) ?? []
}

/** True when the field is `*` alone: section 13.1.1 and 13.1.2 give `*` no place in a list. */
function isAny(field: string): boolean {
  return field.trim() === '*'
}

/**
 * If-None-Match (section 13.1.2): true when the field is `*` (the resource
 * has a representation) or lists the representation's tag, compared weakly
 * (section 8.8.3.2): `W/"x"` matches `"x"`.
 */
export function matchesIfNoneMatch(field: string, etag: string): boolean {
  if (isAny(field)) return true
  const wanted = opaqueTag(etag)
  return listedTags(field).some((tag) => opaqueTag(tag) === wanted)
}

/**
 * If-Match (section 13.1.1): true when the field is `*` or lists the
 * representation's tag, compared strongly: a weak tag never matches.
 */
export function matchesIfMatch(field: string, etag: string): boolean {
  if (isAny(field)) return true
  if (etag.startsWith('W/')) return false
  return listedTags(field).some((tag) => tag === etag)
}

/**
 * A date precondition's time, or undefined when the field must be ignored
 * because it is not one valid HTTP-date (sections 13.1.3 and 13.1.4, a list
 * of dates included).
 */
function dateOf(field: string | null, nowSeconds: number): number | undefined {
  return field === null ? undefined : parseHttpDate(field, nowSeconds)
}

/**
 * Evaluates the preconditions of a GET or HEAD whose answer would be a 200
 * of this representation, in the order of section 13.2.2:
 * 1. If-Match, else If-Unmodified-Since: when false, 412.
 * 2. If-None-Match: when true, 304 (GET and HEAD).
 * 3. Without If-None-Match, If-Modified-Since: when not modified since, 304.
 * `now` is the origin's clock in ms since the epoch.
 */
export function evaluatePreconditions(
  headers: Headers,
  validators: Validators,
  now: number,
): PreconditionOutcome {
  const nowSeconds = Math.floor(now / 1000)
  const lastModified = validators.lastModifiedSeconds
  const ifMatch = headers.get('if-match')
  if (ifMatch !== null) {
    if (!matchesIfMatch(ifMatch, validators.etag)) return 'failed'
  } else if (lastModified !== undefined) {
    // Section 13.1.4: ignored without a modification date, or when not a valid HTTP-date.
    const since = dateOf(headers.get('if-unmodified-since'), nowSeconds)
    if (since !== undefined && lastModified > since) return 'failed'
  }
  const ifNoneMatch = headers.get('if-none-match')
  if (ifNoneMatch !== null) {
    return matchesIfNoneMatch(ifNoneMatch, validators.etag) ? 'not-modified' : 'serve'
  }
  if (lastModified === undefined) return 'serve'
  // A date later than now is invalid (RFC 7232 section 3.3; RFC 9110 section 13.1.3 judges the
  // field by the origin's clock): a client cannot have seen a state from the future.
  const since = dateOf(headers.get('if-modified-since'), nowSeconds)
  return since !== undefined && since <= nowSeconds && lastModified <= since
    ? 'not-modified'
    : 'serve'
}

/** The 412 answer (section 15.5.13): a sentence, never cached. */
export function preconditionFailed(method: string): Response {
  return plainErrorResponse(
    method,
    412,
    'Precondition failed: the document does not match If-Match or has changed since If-Unmodified-Since.',
  )
}
