import { ORIGIN_PLACEHOLDER } from '../../contract/compiled.ts'
import { isError, type Problem } from '../../contract/problem.ts'
import { collapseWhitespace, truncateAtWord } from '../../site/text.ts'
import { articleSlug } from '../content/compile-content.ts'
import type { FrontMatter } from '../content/front-matter.ts'
import { type ParsedArticle, parseArticle } from '../content/parse-article.ts'
import { firstParagraphText, renderMarkdown } from '../content/render-markdown.ts'
import { TAXONOMY_FILE } from '../content/taxonomy.ts'
import { inferTopics, resolveListedTopics } from '../content/topic-rules.ts'
import { type FieldValue, writeFrontMatter } from './front-matter-text.ts'
import { claimSlug, type SeedsIndex, siteOf } from './seeds-index.ts'

/**
 * `npm run import`: an article saved in the plain-text layout (see
 * src/build/content/plain-text-layout.ts), read with the build's own parser, turned
 * into a markdown article whose front matter states everything the layout
 * implied, with a report of what was inferred and what could not be.
 */

/** What the import found in one file. */
export interface ImportReport {
  /** `field: value (from where)`, one per line, in front-matter order. */
  inferred: string[]
  /** `field: reason`, for what the file did not say. */
  missing: string[]
}

export type ImportResult =
  | {
      ok: true
      fileName: string
      slug: string
      text: string
      report: ImportReport
      /** Things the build will warn about too, such as a topic the taxonomy lacks. */
      warnings: Problem[]
    }
  | { ok: false; problems: Problem[] }

/** Longest summary written, as the build cuts its own. */
const SUMMARY_LENGTH = 280

const LINK = /(!?)\[([^[\]]*)\]\(\s*([^()\s]*)\s*\)/g
const RELATED = /^\s*\*\*\s*related\s+articles?\s*:?\s*\*\*\s*:?\s*(.*)$/i

/** An absolute http(s) URL for a link target, resolved against the original's address. */
function realUrl(href: string, base: URL | undefined): string | undefined {
  if (href === '' || href === '#') return undefined
  try {
    const url = new URL(href, base)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined
  } catch {
    return undefined
  }
}

interface BodyChanges {
  body: string
  deadLinks: number
  /** Relative links and images, made absolute against the original's address. */
  madeAbsolute: number
  relatedRemoved: number
}

/**
 * Saved pages keep links whose target was lost as `[text](#)`: their words
 * stay and the link goes. Relative links and images pointed into the
 * original site, so both are made absolute against it. A `**Related article:**` line is kept
 * only when its link leads somewhere; otherwise it is removed.
 */
function convertBody(body: string, base: URL | undefined): BodyChanges {
  let deadLinks = 0
  let madeAbsolute = 0
  let relatedRemoved = 0
  const lines: string[] = []
  for (const line of body.split('\n')) {
    const related = RELATED.exec(line)
    if (related) {
      const targets = [...(related[1] ?? '').matchAll(LINK)].map((match) =>
        realUrl(match[3]!, base),
      )
      if (targets.length === 0 || targets.some((target) => target === undefined)) {
        relatedRemoved++
        continue
      }
    }
    lines.push(
      line.replace(LINK, (whole, bang: string, text: string, href: string) => {
        if (bang) {
          // An image of the original page, like a link of it, is relative to the page.
          const url = realUrl(href, base)
          if (!url || url === href) return whole
          madeAbsolute++
          return `![${text}](${url})`
        }
        if (href === '' || href === '#') {
          deadLinks++
          return text
        }
        const url = realUrl(href, base)
        if (!url || url === href) return whole
        madeAbsolute++
        return `[${text}](${url})`
      }),
    )
  }
  const converted = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return { body: converted, deadLinks, madeAbsolute, relatedRemoved }
}

/** The date as written: the front matter's, or the date line's day in ISO 8601. */
function dateOf(article: ParsedArticle): string {
  if (article.frontMatter.date) return article.frontMatter.date
  const iso = article.published.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
}

function plural(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`
}

/** Front-matter fields of the original that the import passes on as they are. */
function carriedFields(
  frontMatter: FrontMatter,
  taken: ReadonlySet<string>,
): [string, FieldValue][] {
  const fields: [string, FieldValue][] = []
  for (const [name, value] of Object.entries(frontMatter)) {
    if (taken.has(name) || value === undefined) continue
    if (name === 'authors' && Array.isArray(value)) {
      fields.push([name, value.map((author) => (author as { name: string }).name)])
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      fields.push([name, value])
    } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      fields.push([name, value as string[]])
    }
  }
  return fields
}

/**
 * Converts one file. `source` names it in messages; the slug is claimed in
 * `index`, so several files of one run never share one. Nothing is written.
 */
export function importArticle(source: string, bytes: Uint8Array, index: SeedsIndex): ImportResult {
  // Read exactly as the build would read the file: a .txt file always in the layout, a .md file when a date line follows its heading.
  const parsed = parseArticle(source, bytes)
  if (!parsed.article) return { ok: false, problems: parsed.problems.filter(isError) }
  const article = parsed.article
  const { frontMatter } = article
  const report: ImportReport = { inferred: [], missing: [] }
  const from = (field: keyof FrontMatter, layoutPart: string) =>
    frontMatter[field] === undefined ? layoutPart : 'the front matter'

  const title = collapseWhitespace(article.title)
  report.inferred.push(`title: ${title} (from ${from('title', 'the # heading')})`)
  const date = dateOf(article)
  report.inferred.push(`date: ${date} (from ${from('date', 'the date line')})`)
  const fields: [string, FieldValue][] = [
    ['title', title],
    ['date', date],
  ]

  let source_url: URL | undefined
  if (article.sourceUrl) {
    const url = realUrl(article.sourceUrl, undefined)
    if (url && !/\s/.test(article.sourceUrl)) source_url = new URL(url)
    else report.missing.push(`source_url: "${article.sourceUrl}" is not an http or https URL`)
  } else {
    report.missing.push('source_url, source_name: there is no "Original url:" line at the end')
  }
  if (source_url) {
    const already = index.sourceUrls.get(source_url.href)
    if (already) {
      return {
        ok: false,
        problems: [
          {
            file: source,
            ...(article.sourceUrlLine === undefined ? {} : { line: article.sourceUrlLine }),
            field: 'source_url',
            message: `the original is already imported, as ${already}`,
            hint: 'Edit that article instead, or remove it first to import this one again',
          },
        ],
      }
    }
  }

  const changes = convertBody(article.body, source_url)
  const bodyHtml = renderMarkdown(changes.body, `${ORIGIN_PLACEHOLDER}/`)
  const warnings: Problem[] = []
  let topics: string[]
  if (frontMatter.topics) {
    topics = resolveListedTopics(
      frontMatter.topics,
      index.taxonomy,
      {
        file: source,
        ...(article.fieldLines.topics ? { line: article.fieldLines.topics } : {}),
        taxonomyFile: TAXONOMY_FILE,
      },
      warnings,
    ).map((topic) => topic.name)
    report.inferred.push(`topics: ${topics.join(', ')} (from the front matter)`)
  } else {
    topics = inferTopics(index.taxonomy, title, bodyHtml).map((topic) => topic.name)
    if (topics.length > 0) {
      report.inferred.push(
        `topics: ${topics.join(', ')} (from keywords in the title and first paragraphs)`,
      )
    } else {
      report.missing.push(
        index.taxonomy
          ? `topics: no topic of ${TAXONOMY_FILE} is named in the title or first paragraphs`
          : `topics: there is no ${TAXONOMY_FILE} to find them in`,
      )
    }
  }
  const topicErrors = warnings.filter(isError)
  if (topicErrors.length > 0) return { ok: false, problems: topicErrors }
  if (topics.length > 0) fields.push(['topics', topics])

  const firstParagraph = collapseWhitespace(firstParagraphText(bodyHtml))
  const summary = frontMatter.summary ?? truncateAtWord(firstParagraph, SUMMARY_LENGTH)
  if (summary) {
    fields.push(['summary', summary])
    report.inferred.push(
      `summary: ${frontMatter.summary ? 'from the front matter' : 'the first paragraph'}`,
    )
  } else {
    report.missing.push('summary: the article has no paragraph to take it from')
  }

  if (article.caption) {
    fields.push(['image_caption', article.caption])
    report.inferred.push(
      `image_caption: ${article.caption} (from ${from('image_caption', 'the caption line')})`,
    )
  }
  if (article.credit) {
    fields.push(['image_credit', article.credit])
    report.inferred.push(
      `image_credit: ${article.credit} (from ${from('image_credit', 'the caption line')})`,
    )
  }
  if (!article.caption && !article.credit) {
    report.missing.push('image_caption, image_credit: there is no caption line under the date')
  }

  if (source_url) {
    fields.push(['source_url', source_url.href])
    report.inferred.push(
      `source_url: ${source_url.href} (from ${from('source_url', 'the Original url line')})`,
    )
    const known = index.sourceNames.get(siteOf(source_url))
    const name = frontMatter.source_name ?? known?.name ?? siteOf(source_url)
    fields.push(['source_name', name])
    report.inferred.push(
      `source_name: ${name} (${
        frontMatter.source_name
          ? 'from the front matter'
          : known
            ? `as ${known.file} names ${siteOf(source_url)}`
            : "from the URL's site"
      })`,
    )
  }

  const wanted = articleSlug(frontMatter.slug ?? title)
  const slug = claimSlug(index, wanted, `${wanted}.md`)
  if (slug !== wanted) {
    fields.push(['slug', slug])
    report.inferred.push(`slug: ${slug} (${wanted} is taken by ${index.slugs.get(wanted)})`)
  }

  const taken = new Set(fields.map(([name]) => name))
  fields.push(...carriedFields(frontMatter, taken))

  const parts = [
    ...(changes.deadLinks > 0 ? [`${plural(changes.deadLinks, 'dead (#) link')} unwrapped`] : []),
    ...(changes.madeAbsolute > 0
      ? [`${plural(changes.madeAbsolute, 'relative URL')} made absolute against the original`]
      : []),
    ...(changes.relatedRemoved > 0
      ? [`${plural(changes.relatedRemoved, '"Related article" line')} without a URL removed`]
      : []),
  ]
  if (parts.length > 0) report.inferred.push(`body: ${parts.join('; ')}`)

  const text = `${writeFrontMatter(fields)}\n${changes.body}\n`
  return { ok: true, fileName: `${slug}.md`, slug, text, report, warnings }
}
