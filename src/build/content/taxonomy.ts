import * as yaml from 'js-yaml'
import { z } from 'zod'
import type { Problem } from '../../contract/problem.ts'
import { slugify } from '../../site/text.ts'
import { decodeFile, describeYamlError } from './parse-article.ts'

/**
 * The topic taxonomy: one file, `topics.yaml` at the top of the seeds folder,
 * that names and describes every topic articles are filed under.
 *
 *     south-korea:                  # the slug, used in /topics/south-korea/
 *       name: South Korea           # what readers see
 *       description: News about …   # the topic page's lede and its feeds' description
 *       keywords: [Seoul, Yonhap]   # optional; see topic-rules.ts
 */

/** Where the taxonomy lives, relative to the seeds folder. */
export const TAXONOMY_FILE = 'topics.yaml'

const text = z.string().trim().min(1, 'is empty')

/** One topic as the taxonomy file states it. Declared once; the type is derived from it. */
const topicEntrySchema = z.strictObject({
  name: text,
  description: text,
  keywords: z.array(text, 'must be a list of words or phrases').optional(),
})

const TOPIC_FIELDS = Object.keys(topicEntrySchema.shape)

/** A topic of the taxonomy, ready to use. */
export interface TaxonomyTopic {
  slug: string
  name: string
  description: string
  /** Words and phrases that file an article without `topics` under this topic. */
  keywords: string[]
}

/** The whole taxonomy, in the order of the file. */
export interface Taxonomy {
  topics: TaxonomyTopic[]
  /** Each topic by its slug, and by its name made a slug (`human-rights` finds `rights:` named Human Rights). */
  bySlug: ReadonlyMap<string, TaxonomyTopic>
}

/** File line (1-based) of a top-level key, and of a field nested under it. */
function lineOf(lines: readonly string[], key: string, field?: string): { line?: number } {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const top = lines.findIndex((line) => new RegExp(`^["']?${escaped}["']?\\s*:`).test(line))
  if (top < 0) return {}
  if (field === undefined) return { line: top + 1 }
  for (let index = top + 1; index < lines.length; index++) {
    const line = lines[index]!
    if (/^\S/.test(line) && !line.startsWith('#')) break
    if (new RegExp(`^\\s+${field}\\s*:`).test(line)) return { line: index + 1 }
  }
  return { line: top + 1 }
}

const HINTS: Record<string, string> = {
  name: 'Write the name readers see, like `name: South Korea`',
  description:
    'Write one or two sentences about the topic, like `description: News about South Korea.`',
  keywords: 'Write a list, like `keywords: [Seoul, South Korean]`',
}

/** Parses the taxonomy file. Every problem is collected; a taxonomy with any is not returned. */
export function parseTaxonomy(
  file: string,
  bytes: Uint8Array,
): { taxonomy?: Taxonomy; problems: Problem[] } {
  const problems: Problem[] = []
  const decoded = decodeFile(file, bytes)
  if ('problem' in decoded) return { problems: [decoded.problem] }
  const lines = decoded.text.split('\n')
  let data: unknown
  try {
    // The JSON schema keeps YAML from guessing: `no` stays a word and custom tags are errors.
    // No aliases, as in articles: nested ones expand to billions of values ("billion laughs").
    data = yaml.load(decoded.text, { schema: yaml.JSON_SCHEMA, maxAliases: 0 }) ?? {}
  } catch (error) {
    const { line, reason } = describeYamlError(error)
    const alias = reason.includes('maxAliases')
    problems.push({
      file,
      ...(line === undefined ? {} : { line: line + 1 }),
      field: 'topics',
      message: alias ? 'YAML aliases (*name) are not allowed' : `YAML syntax error: ${reason}`,
      hint: alias
        ? 'Write each value out in full instead of referring to an &anchor'
        : 'Fix the YAML; use spaces, not tabs, and close every quote',
    })
    return { problems }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push({
      file,
      line: 1,
      field: 'topics',
      message: 'the taxonomy is not a set of topics',
      hint: 'Write one entry per topic, keyed by its slug, like `south-korea:` followed by indented `name:` and `description:` lines',
    })
    return { problems }
  }

  const topics: TaxonomyTopic[] = []
  for (const [slug, entry] of Object.entries(data)) {
    const before = problems.length
    if (slugify(slug) !== slug) {
      problems.push({
        file,
        ...lineOf(lines, slug),
        field: slug,
        message: 'is not a topic slug',
        hint: slugify(slug)
          ? `Write it as \`${slugify(slug)}\`: lower-case letters and digits joined by hyphens`
          : 'Use lower-case letters and digits joined by hyphens, like `south-korea`',
      })
    }
    const result = topicEntrySchema.safeParse(entry)
    if (!result.success) {
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            problems.push({
              file,
              ...lineOf(lines, slug, key),
              field: `${slug}.${key}`,
              message: 'is not a known field',
              hint: `A topic has ${TOPIC_FIELDS.map((name) => `\`${name}\``).join(', ')}`,
            })
          }
          continue
        }
        const field = issue.path[0] === undefined ? undefined : String(issue.path[0])
        const missing =
          field !== undefined &&
          typeof entry === 'object' &&
          entry !== null &&
          !Object.hasOwn(entry, field)
        problems.push({
          file,
          ...lineOf(lines, slug, field),
          field: field ? `${slug}.${field}` : slug,
          message: !field
            ? 'must be a set of fields'
            : missing
              ? 'is missing'
              : issue.code === 'invalid_type'
                ? `must be ${field === 'keywords' ? 'a list' : 'text'}`
                : issue.message,
          hint: field
            ? HINTS[field]!
            : 'Indent `name:`, `description:` and `keywords:` under the slug',
        })
      }
    }
    if (problems.length > before || !result.success) continue
    topics.push({
      slug,
      name: result.data.name,
      description: result.data.description,
      keywords: result.data.keywords ?? [],
    })
  }
  if (problems.length > 0) return { problems }
  const bySlug = new Map<string, TaxonomyTopic>()
  for (const topic of topics) bySlug.set(slugify(topic.name), topic)
  // Slugs win over names made slugs.
  for (const topic of topics) bySlug.set(topic.slug, topic)
  return { taxonomy: { topics, bySlug }, problems }
}
