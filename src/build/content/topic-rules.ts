import type { CompiledTopic } from '../../contract/compiled.ts'
import type { Problem } from '../../contract/problem.ts'
import { collapseWhitespace, slugify, stripXmlForbidden } from '../../site/text.ts'
import { htmlToText } from './render-markdown.ts'
import type { Taxonomy, TaxonomyTopic } from './taxonomy.ts'

/**
 * Which topics an article is filed under.
 *
 * The rule, as README.md states it:
 * 1. An article that lists `topics` gets exactly those, even when the list is
 *    empty (`topics: []` files an article under no topic). A listed topic that
 *    the taxonomy has (its slug or its name, compared as slugs, so
 *    `south korea` is `South Korea`) takes the taxonomy's slug and name; one
 *    it lacks is kept as written, with a warning that suggests the closest
 *    topic of the taxonomy.
 * 2. An article without `topics` gets every taxonomy topic whose name or one
 *    of whose keywords appears in its title or its first two paragraphs: as a
 *    whole word or phrase, ignoring case, except that a keyword written all in
 *    capitals (an acronym: `UN`, `NATO`) must appear in capitals. Curly and
 *    straight apostrophes are the same. Topics come in the taxonomy's order.
 */

/** How many paragraphs of the body, after the title, the keywords are looked for in. */
export const KEYWORD_PARAGRAPHS = 2

/** One compiled matcher per topic, built once per taxonomy. */
const matchers = new WeakMap<Taxonomy, { topic: TaxonomyTopic; patterns: RegExp[] }[]>()

function normalize(text: string): string {
  return text.normalize('NFC').replace(/[’ʼ‘]/g, "'").replace(/\s+/g, ' ')
}

function keywordPattern(keyword: string): RegExp {
  const phrase = normalize(keyword.trim())
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/ /g, '\\s+')
  const acronym = /\p{Lu}/u.test(phrase) && !/\p{Ll}/u.test(phrase)
  // Letters and digits on either side would make the keyword part of another word.
  return new RegExp(`(?<![\\p{L}\\p{N}])${phrase}(?![\\p{L}\\p{N}])`, acronym ? 'u' : 'iu')
}

function matchersOf(taxonomy: Taxonomy): { topic: TaxonomyTopic; patterns: RegExp[] }[] {
  let list = matchers.get(taxonomy)
  if (!list) {
    list = taxonomy.topics.map((topic) => ({
      topic,
      patterns: [topic.name, ...topic.keywords].map(keywordPattern),
    }))
    matchers.set(taxonomy, list)
  }
  return list
}

/** The text the keywords are looked for in: the title and the first paragraphs of the body HTML. */
export function keywordText(title: string, bodyHtml: string): string {
  const paragraphs = [...bodyHtml.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)]
    .slice(0, KEYWORD_PARAGRAPHS)
    .map((match) => htmlToText(match[1]!))
  return normalize([title, ...paragraphs].join('\n'))
}

/** Rule 2: the taxonomy topics an article mentions, in taxonomy order. */
export function inferTopics(
  taxonomy: Taxonomy | undefined,
  title: string,
  bodyHtml: string,
): TaxonomyTopic[] {
  if (!taxonomy) return []
  const text = keywordText(title, bodyHtml)
  return matchersOf(taxonomy)
    .filter(({ patterns }) => patterns.some((pattern) => pattern.test(text)))
    .map(({ topic }) => topic)
}

/** Edit distance (Levenshtein): how many letters must change to turn one word into the other. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The taxonomy topic closest to a slug: the one whose slug, name or a keyword
 * is fewest edits away (a keyword that is the slug itself wins), unless even
 * that one is so far (more than a third of the letters, and more than two)
 * that suggesting it would be a guess.
 */
export function closestTopic(taxonomy: Taxonomy, slug: string): TaxonomyTopic | undefined {
  let best: { topic: TaxonomyTopic; score: number } | undefined
  for (const topic of taxonomy.topics) {
    for (const candidate of [topic.slug, slugify(topic.name), ...topic.keywords.map(slugify)]) {
      const score = distance(slug, candidate)
      if (!best || score < best.score) best = { topic, score }
    }
  }
  const allowed = Math.max(2, Math.floor(slug.length / 3))
  return best && best.score <= allowed ? best.topic : undefined
}

/** Where the topics of a listed article come from, for messages. */
export interface TopicSource {
  file: string
  line?: number
  /** Name of the taxonomy file as authors know it, for hints. */
  taxonomyFile: string
}

/** Rule 1: the listed topics, named as the taxonomy names them; problems and warnings are pushed. */
export function resolveListedTopics(
  names: readonly string[],
  taxonomy: Taxonomy | undefined,
  where: TopicSource,
  problems: Problem[],
): CompiledTopic[] {
  const topics: CompiledTopic[] = []
  const place = { file: where.file, ...(where.line === undefined ? {} : { line: where.line }) }
  for (const name of names) {
    const display = collapseWhitespace(stripXmlForbidden(name))
    const slug = slugify(display)
    if (!slug) {
      problems.push({
        ...place,
        field: 'topics',
        message: `topic "${display}" has no letters or digits to make a URL from`,
        hint: 'Name the topic with at least one letter or digit',
      })
      continue
    }
    const known = taxonomy?.bySlug.get(slug)
    if (taxonomy && !known) {
      const closest = closestTopic(taxonomy, slug)
      problems.push({
        ...place,
        severity: 'warning',
        field: 'topics',
        message: `topic "${display}" is not in ${where.taxonomyFile}, so it has no description`,
        hint: closest
          ? `Did you mean "${closest.name}"? Otherwise add \`${slug}:\` with a name and a description to ${where.taxonomyFile}`
          : `Add \`${slug}:\` with a name and a description to ${where.taxonomyFile}, or use one of its topics`,
      })
    }
    const topic = known ? { slug: known.slug, name: known.name } : { slug, name: display }
    if (!topics.some((listed) => listed.slug === topic.slug)) topics.push(topic)
  }
  return topics
}
