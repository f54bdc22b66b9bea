import { quoteInput } from '../site/quote-input.ts'
import type { FeedScope } from '../site/urls.ts'

/**
 * Filtered feeds: `?topics=a,b` (articles in any of the topics) and
 * `?exclude=c` (every article but those in the topic), alone or together.
 * Every filter is a key in every cache in front of the worker, so the
 * parameters are bounded and have one canonical spelling (sorted, without
 * repeats); other spellings are redirected to it.
 */

/** Most topics a filter may name, `topics` and `exclude` together. */
export const MAX_FILTER_TOPICS = 8

const PARAMETERS = ['topics', 'exclude'] as const
const SLUG = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u
const SLUG_LENGTH = 96

export type FilterResult =
  | { ok: true; scope: FeedScope }
  | { ok: false; status: 400 | 404; message: string }

function bad(message: string): FilterResult {
  return { ok: false, status: 400, message }
}

function parseList(params: URLSearchParams, name: string): string[] | string {
  const values = params.getAll(name)
  if (values.length === 0) return []
  if (values.length > 1) return `give "${name}" once, as a comma-separated list: ?${name}=a,b`
  const slugs = values[0]!.split(',').map((slug) => slug.trim().toLowerCase())
  const wrong = slugs.find((slug) => !SLUG.test(slug) || slug.length > SLUG_LENGTH)
  if (wrong !== undefined) {
    return wrong === ''
      ? `"${name}" has an empty topic; list topic slugs separated by commas, like ?${name}=economy,shipping`
      : `${quoteInput(wrong)} is not a topic slug; slugs are lowercase words joined by hyphens, as in /topics/<slug>/`
  }
  return [...new Set(slugs)].sort()
}

/**
 * Reads the filter of a feed request. A request without `topics` or
 * `exclude` is the plain site feed; unknown parameters are left out of the
 * scope (and out of the canonical URL the caller redirects to).
 */
export function parseFeedFilter(
  params: URLSearchParams,
  topicExists: (slug: string) => boolean,
): FilterResult {
  if (!PARAMETERS.some((name) => params.has(name))) return { ok: true, scope: { kind: 'site' } }
  const topics = parseList(params, 'topics')
  if (typeof topics === 'string') return bad(topics)
  const exclude = parseList(params, 'exclude')
  if (typeof exclude === 'string') return bad(exclude)
  if (topics.length + exclude.length > MAX_FILTER_TOPICS) {
    return bad(`a filter may name at most ${MAX_FILTER_TOPICS} topics in all`)
  }
  const both = topics.find((slug) => exclude.includes(slug))
  if (both) return bad(`${quoteInput(both)} is both in "topics" and in "exclude"`)
  const unknown = [...topics, ...exclude].filter((slug) => !topicExists(slug))
  if (unknown.length > 0) {
    return {
      ok: false,
      status: 404,
      message: `no published topic has the slug ${unknown.map(quoteInput).join(', ')}; the list of topics is at /topics/`,
    }
  }
  return { ok: true, scope: { kind: 'filter', topics, exclude } }
}
