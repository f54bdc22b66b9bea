import type { DocumentRef } from '../../contract/site-index.ts'
import { variantAt } from '../../contract/site-index.ts'
import { changingCacheControl } from './cache-policy.ts'
import { pageTags } from './cache-tags.ts'
import { evaluatePreconditions } from './conditional-get.ts'
import type { Representation } from './representation.ts'
import type { AppContext } from './request-scope.ts'
import { baseHeaders, type DocumentKind, type RespondOptions, respond } from './respond.ts'

/**
 * Answering with a prerendered document: validators from the index (a
 * conditional request is answered without reading anything), bytes from the
 * static assets, and the response remembered for the fast path.
 */

export interface ServeOptions {
  kind: DocumentKind
  tags: readonly string[]
  /** Default: the configured lifetime, cut short before the next due time. */
  cacheControl?: string
  vary?: string
  link?: string
  /** False for a representation that may change under the worker (see SiteIndex.preview). */
  remember?: boolean
}

function cacheControlOf(c: AppContext): string {
  const { site, now, nextDue } = c.var.scope
  return changingCacheControl(site.maxAge, now, nextDue)
}

/**
 * Answers with a representation and remembers the response until it may
 * change (unless told not to).
 */
export function serveRepresentation(
  c: AppContext,
  representation: Representation,
  options: ServeOptions,
): Response {
  const scope = c.var.scope
  const respondOptions: Omit<RespondOptions, 'status'> = {
    kind: options.kind,
    cacheControl: options.cacheControl ?? cacheControlOf(c),
    tags: options.tags,
    ...(options.vary ? { vary: options.vary } : {}),
    ...(options.link ? { link: options.link } : {}),
  }
  const response = respond(c.req.raw, representation, { ...respondOptions, now: scope.now })
  // Unchanged until the next article is due, and Cache-Control too until twice max-age before.
  const validUntil =
    scope.nextDue === undefined ? Infinity : scope.nextDue - 2 * scope.site.maxAge * 1000
  if (options.remember !== false)
    scope.responses.remember(c.req.raw, c.env, representation, response, validUntil)
  return response
}

/**
 * Answers a conditional request that fails its preconditions (304 or 412)
 * from validators alone. Not remembered: the fast path remembers only answers
 * made from the bytes, and answers the next conditional request from those.
 */
export function serveValidators(
  c: AppContext,
  validators: Representation,
  options: ServeOptions,
): Response {
  return respond(c.req.raw, validators, {
    now: c.var.scope.now,
    kind: options.kind,
    cacheControl: options.cacheControl ?? cacheControlOf(c),
    tags: options.tags,
    ...(options.vary ? { vary: options.vary } : {}),
    ...(options.link ? { link: options.link } : {}),
  })
}

/** Answers with a document, or 404 when there is none at this view. */
export async function serveDocument(
  c: AppContext,
  ref: DocumentRef | null | undefined,
  options: ServeOptions,
): Promise<Response> {
  if (!ref) return notFound(c)
  const { reader, origin, fetchAsset, now } = c.var.scope
  const validators = reader.validators(ref, origin)
  // A 304 or 412 needs only the validators, which the index holds: nothing is read.
  if (evaluatePreconditions(c.req.raw.headers, validators, now) !== 'serve') {
    return serveValidators(c, validators, options)
  }
  const representation = await reader.read(fetchAsset, ref, origin)
  if (!representation) return missingAsset(c, ref.path)
  return serveRepresentation(c, representation, options)
}

/** A site-wide document by route name (see SiteIndex.documents). */
export function serveSiteDocument(
  c: AppContext,
  route: string,
  options: ServeOptions,
): Promise<Response> {
  const { index, view } = c.var.scope
  const variants = index.documents[route]
  return serveDocument(c, variants ? variantAt(variants, view) : undefined, options)
}

/** An asset the index names is missing: the deploy is broken; say so in the log, answer 404. */
export function missingAsset(c: AppContext, path: string): Promise<Response> {
  console.error(
    `[worker] ${path}: missing from the static assets. Rebuild and deploy the worker with its assets`,
  )
  return notFound(c)
}

/** Headers of every 404: the page is HTML, cached for a minute by browsers and shared caches alike. */
const NOT_FOUND_HEADERS: [string, string][] = [
  ...baseHeaders('html'),
  ['content-type', 'text/html; charset=utf-8'],
  ['cache-control', 'public, max-age=60'],
  ['cache-tag', pageTags('not-found').join(',')],
]

/**
 * The 404 page: one prerendered document for every unknown URL, remembered
 * for the URL until an article is due (see ResponseMemo.rememberMissing).
 * Only a route's final answer may call this: a 404 made as a fallback and
 * then not sent would be remembered all the same.
 */
export async function notFound(c: AppContext): Promise<Response> {
  const { index, view, reader, origin, fetchAsset, responses, nextDue } = c.var.scope
  const variants = index.documents['not-found']
  const ref = variants ? variantAt(variants, view) : undefined
  const page = ref ? await reader.read(fetchAsset, ref, origin) : undefined
  if (page)
    responses.rememberMissing(c.req.raw, c.env, page.body, NOT_FOUND_HEADERS, nextDue ?? Infinity)
  const body = c.req.method === 'HEAD' || !page ? null : page.body
  return new Response(body, { status: 404, headers: NOT_FOUND_HEADERS })
}
