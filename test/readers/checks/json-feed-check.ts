import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { ALL_FIELDS, compareEntries } from '../compare-entries.ts'
import type { CheckResult, FetchedFeed } from '../report.ts'
import { type CheckContext, type Checker, expectedFor } from './context.ts'
import { duplicateIds, isAbsoluteUrl, relativeUrlsIn, rfc3339Problem } from './spec-rules.ts'

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), checked field by
 * field: the `jsonfeed-schema` package's 1.1 schema with ajv (types,
 * required fields, URI and date-time formats), then the rules a schema cannot
 * say: the exact 1.1 version, `authors` rather than the deprecated `author`,
 * unique item ids, `feed_url` equal to the URL fetched, `next_url` that
 * resolves to a feed, and absolute URLs everywhere, content included.
 */

const SCHEMA_TOOL = 'jsonfeed-schema+ajv'
const RULES_TOOL = 'json-feed-1.1-rules'
const VERSION = 'https://jsonfeed.org/version/1.1'

const require = createRequire(import.meta.url)
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(require('jsonfeed-schema/schema-v1.1.json') as object)

type Json = Record<string, unknown>

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
}

function urlProblems(object: Json, fields: readonly string[], where: string): string[] {
  return fields
    .filter((field) => typeof object[field] === 'string' && !isAbsoluteUrl(object[field] as string))
    .map((field) => `${where}${field}: ${JSON.stringify(object[field])} is not an absolute URL`)
}

function authorProblems(object: Json, where: string): string[] {
  const problems: string[] = []
  // Section "authors": `author` is deprecated in 1.1; readers that know 1.1 look for `authors`.
  if ('author' in object) problems.push(`${where}author: deprecated in JSON Feed 1.1, use authors`)
  if ('authors' in object) {
    const list = Array.isArray(object.authors) ? object.authors : []
    for (const [index, author] of list.entries())
      problems.push(
        ...urlProblems(asObject(author), ['url', 'avatar'], `${where}authors[${index}].`),
      )
  }
  return problems
}

async function resolvesToFeed(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
    if (!response.ok) return `answers ${response.status}`
    const body = asObject(await response.json())
    return body.version === VERSION ? undefined : 'is not a JSON Feed 1.1 document'
  } catch (error) {
    return `cannot be fetched: ${(error as Error).message}`
  }
}

/** Problems a schema cannot express. */
export async function jsonFeedRuleProblems(feed: FetchedFeed, document: Json): Promise<string[]> {
  const problems: string[] = []
  if (document.version !== VERSION)
    problems.push(
      `version: expected ${JSON.stringify(VERSION)}, got ${JSON.stringify(document.version)}`,
    )
  if (typeof document.title !== 'string' || document.title === '') problems.push('title: missing')
  if (document.feed_url !== feed.url)
    problems.push(`feed_url: ${JSON.stringify(document.feed_url)} is not the URL fetched`)
  problems.push(
    ...urlProblems(document, ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon'], ''),
  )
  problems.push(...authorProblems(document, ''))
  if (typeof document.next_url === 'string') {
    const problem = await resolvesToFeed(document.next_url)
    if (problem) problems.push(`next_url: ${JSON.stringify(document.next_url)} ${problem}`)
  }
  const items = Array.isArray(document.items) ? document.items.map(asObject) : []
  if (!Array.isArray(document.items)) problems.push('items: missing')
  for (const [index, item] of items.entries()) {
    const where = `items[${index}].`
    if (typeof item.id !== 'string' || item.id === '') problems.push(`${where}id: missing`)
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string')
      problems.push(`${where}content_html: missing (an item needs content_html or content_text)`)
    for (const field of ['date_published', 'date_modified']) {
      if (field in item) {
        const problem = rfc3339Problem(String(item[field]), `${where}${field}`)
        if (problem) problems.push(problem)
      }
    }
    problems.push(...urlProblems(item, ['url', 'external_url', 'image', 'banner_image'], where))
    problems.push(...authorProblems(item, where))
    const attachments = Array.isArray(item.attachments) ? item.attachments : []
    for (const [position, attachment] of attachments.entries())
      problems.push(
        ...urlProblems(asObject(attachment), ['url'], `${where}attachments[${position}].`),
      )
    if (typeof item.content_html === 'string')
      problems.push(...relativeUrlsIn(item.content_html, `${where}content_html`))
  }
  for (const id of duplicateIds(items.map((item) => String(item.id))))
    problems.push(`items: id ${JSON.stringify(id)} is used by more than one item`)
  return problems
}

function parse(feed: FetchedFeed): Json | string {
  try {
    return asObject(JSON.parse(feed.body))
  } catch (error) {
    return `not JSON: ${(error as Error).message}`
  }
}

async function checkOne(feed: FetchedFeed, context: CheckContext): Promise<CheckResult[]> {
  const document = parse(feed)
  if (typeof document === 'string')
    return [SCHEMA_TOOL, RULES_TOOL].map((tool) => ({ feed: feed.url, tool, problems: [document] }))
  const schemaProblems = validate(document)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message}`)
  const problems = await jsonFeedRuleProblems(feed, document)
  const expected = expectedFor(feed, context)
  if ('missing' in expected) problems.push(expected.missing)
  else {
    const entries = (Array.isArray(document.items) ? document.items : [])
      .map(asObject)
      .map((item) => ({
        id: item.id as string,
        link: item.url as string,
        title: item.title as string,
        published: Date.parse(String(item.date_published)),
        categories: (item.tags ?? []) as string[],
        authors: (Array.isArray(item.authors) ? item.authors : []).map((author) =>
          String(asObject(author).name),
        ),
        image: item.image as string | undefined,
        contentHtml: item.content_html as string,
      }))
    problems.push(...compareEntries(expected, entries, ALL_FIELDS))
  }
  return [
    { feed: feed.url, tool: SCHEMA_TOOL, problems: schemaProblems },
    { feed: feed.url, tool: RULES_TOOL, problems },
  ]
}

export const checkJsonFeeds: Checker = async (feeds, context) => {
  const results: CheckResult[] = []
  for (const feed of feeds.filter((candidate) => candidate.format === 'json'))
    results.push(...(await checkOne(feed, context)))
  return results
}
