import { isError, type Problem } from '../../contract/problem.ts'
import { articleSlug } from '../content/compile-content.ts'
import { parseDateLine, parseIsoDate } from '../content/dates.ts'
import { TAXONOMY_FILE } from '../content/taxonomy.ts'
import { resolveListedTopics } from '../content/topic-rules.ts'
import { type FieldValue, writeFrontMatter } from './front-matter-text.ts'
import { claimSlug, type SeedsIndex } from './seeds-index.ts'

/**
 * `npm run new`: a new markdown article with complete front matter, ready to
 * write in, and a draft (`draft: true`) until its author removes that line.
 */

export interface NewArticleRequest {
  title: string
  /** Topic names; each is named as the taxonomy names it. */
  topics?: readonly string[]
  /** As the author typed it: ISO 8601 (`2024-10-22`, `2024-10-22T09:30:00+03:00`) or `October 22, 2024`. */
  date?: string
  /** The moment used when no date is given. */
  now: Date
}

export type NewArticle =
  | { ok: true; fileName: string; slug: string; text: string; warnings: Problem[] }
  | { ok: false; errors: string[] }

/** The optional fields, shown commented out so an author sees them all without looking anything up. */
const OPTIONAL_FIELDS = [
  'summary: One or two sentences for feed readers.',
  'author: Your Name',
  'image: /images/photo.jpg',
  'image_caption: What the picture shows',
  'image_credit: Who made it (licence)',
  'source_url: https://example.org/original-story',
  'source_name: Example News',
]

/** The date as the front matter will hold it, or why it cannot. */
function dateField(typed: string | undefined, now: Date): { value: string } | { reason: string } {
  if (typed === undefined) return { value: `${now.toISOString().slice(0, 16)}:00Z` }
  const text = typed.trim()
  const line = parseDateLine(text)
  const result = /^\d{4}-\d{2}-\d{2}/.test(text) ? parseIsoDate(text) : line
  if (!result) return { reason: `"${text}" is not a date` }
  if (!result.ok) return { reason: result.reason }
  // A date written in words is a day; ISO 8601 keeps the time and zone the author gave.
  return { value: /^\d{4}-/.test(text) ? text : result.date.toISOString().slice(0, 10) }
}

/** Drafts the file; nothing is written here. The slug is claimed in `index`. */
export function draftNewArticle(request: NewArticleRequest, index: SeedsIndex): NewArticle {
  const errors: string[] = []
  const title = request.title.replace(/\s+/g, ' ').trim()
  const wanted = articleSlug(title)
  if (!wanted) {
    errors.push(
      'title: the title has no letters or digits to make a URL from. Give the headline as the first argument, like `npm run new -- "Harbour reopens"`',
    )
  }
  const date = dateField(request.date, request.now)
  if ('reason' in date) {
    errors.push(
      `date: ${date.reason}. Use ISO 8601, like \`--date 2024-10-22\` or \`--date 2024-10-22T09:30:00+03:00\`, or \`--date "October 22, 2024"\``,
    )
  }
  if (errors.length > 0 || 'reason' in date) return { ok: false, errors }

  const slug = claimSlug(index, wanted, `${wanted}.md`)
  const fileName = `${slug}.md`
  const warnings: Problem[] = []
  const topics = request.topics
    ? resolveListedTopics(
        request.topics,
        index.taxonomy,
        { file: fileName, line: 4, taxonomyFile: TAXONOMY_FILE },
        warnings,
      )
    : undefined
  const topicErrors = warnings.filter(isError)
  if (topicErrors.length > 0)
    return {
      ok: false,
      errors: topicErrors.map((problem) => `${problem.field}: ${problem.message}. ${problem.hint}`),
    }
  const fields: [string, FieldValue][] = [
    ['title', title],
    ['date', date.value],
  ]
  if (topics) fields.push(['topics', topics.map((topic) => topic.name)])
  if (slug !== wanted) fields.push(['slug', slug])
  // A draft until the author says otherwise: no build publishes the placeholder body.
  fields.push(['draft', true])
  const comments = [
    'Optional fields: remove the # to use one. See README.md, "Writing articles".',
    ...(topics
      ? []
      : [
          `topics: [A topic, Another]   (without it, topics come from the keywords in ${TAXONOMY_FILE})`,
        ]),
    ...OPTIONAL_FIELDS,
  ]
  const text = `${writeFrontMatter(fields, comments)}\nWrite the article here, in markdown.\n`
  return { ok: true, fileName, slug, text, warnings }
}
