import matter from 'gray-matter'
import * as yaml from 'js-yaml'
import type { Problem } from '../../contract/problem.ts'
import { checkUnclosedComment } from './body-checks.ts'
import type { DateResult } from './dates.ts'
import { parseIsoDate } from './dates.ts'
import { FRONT_MATTER_FIELDS, type FrontMatter, frontMatterSchema } from './front-matter.ts'
import { checkFileSize } from './limits.ts'
import { readPlainTextLayout } from './plain-text-layout.ts'
import { explainYamlError } from './yaml-errors.ts'

/**
 * Reading one article file: bytes to validated fields and a markdown body.
 * Every problem is collected; nothing here stops at the first one.
 */

/** An article as its file states it, before rendering. */
export interface ParsedArticle {
  file: string
  title: string
  titleLine?: number
  published: Date
  updated?: Date
  frontMatter: FrontMatter
  caption?: string
  credit?: string
  sourceUrl?: string
  sourceUrlLine?: number
  body: string
  /** Line of the file where `body` starts; used by later checks. */
  bodyLine: number
  /** File line of each front-matter field, for messages about it. */
  fieldLines: Record<string, number>
}

export type ParseResult = { article?: ParsedArticle; problems: Problem[] }

// The JSON schema keeps YAML from guessing: dates stay strings (so we can reject
// February 30th instead of rolling it over), `no` stays a word, and custom tags
// such as !!js/function are errors rather than code.
// No aliases either: front matter never needs them, and nested ones expand to
// billions of values (the "billion laughs") in whatever walks the result.
const yamlEngine = (source: string): object => {
  const data = yaml.load(source, { schema: yaml.JSON_SCHEMA, maxAliases: 0 })
  return (data ?? {}) as object
}

/** UTF-16 text with no byte order mark: ASCII letters with a NUL byte beside each one. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 64)
  const nuls = head.filter((byte) => byte === 0).length
  return head.length >= 8 && nuls >= head.length / 4
}

/**
 * Decodes a file as UTF-8 (a byte-order mark dropped) with `\n` line endings,
 * or says why it cannot. Shared by everything that reads what authors write.
 */
export function decodeFile(
  file: string,
  bytes: Uint8Array,
): { text: string } | { problem: Problem } {
  const problem = (message: string): { problem: Problem } => ({
    problem: { file, field: 'encoding', message, hint: 'Save the file as UTF-8' },
  })
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problem('the file is UTF-16, not UTF-8')
  }
  if (looksLikeUtf16(bytes)) {
    return problem('the file looks like UTF-16 (a NUL byte beside every letter), not UTF-8')
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text: text.replace(/\r\n?/g, '\n') }
  } catch {
    return problem('the file is not valid UTF-8')
  }
}

/** Where a js-yaml error is (0-based line, when it knows) and why, in one line. */
export function describeYamlError(error: unknown): { line?: number; reason: string } {
  const mark = (error as { mark?: { line?: number } }).mark
  const reason =
    (error as { reason?: string }).reason ?? String((error as Error).message).split('\n')[0]!
  return { ...(mark?.line === undefined ? {} : { line: mark.line }), reason }
}

function lineOfField(frontMatterLines: readonly string[], field: string): number | undefined {
  const index = frontMatterLines.findIndex((line) => line.startsWith(`${field}:`))
  // Front matter opens on line 1 with `---`, so its first field is line 2.
  return index < 0 ? undefined : index + 2
}

function closestField(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/[-\s]/g, '_')
  return FRONT_MATTER_FIELDS.find(
    (field) => field === lower || field.startsWith(lower.slice(0, 4)) || lower.startsWith(field),
  )
}

function readFrontMatter(
  file: string,
  text: string,
  problems: Problem[],
): { data: Record<string, unknown>; body: string; bodyLine: number; lines: string[] } | undefined {
  if (!/^---[ \t]*\n/.test(text)) return { data: {}, body: text, bodyLine: 1, lines: [] }
  // gray-matter would read the whole file as front matter and report a confusing YAML error.
  if (!text.includes('\n---', 3)) {
    problems.push({
      file,
      line: 1,
      field: 'front matter',
      message: 'the --- line that opens the front matter has no --- line closing it',
      hint: 'Add a line of three dashes, ---, after the last field',
    })
    return undefined
  }
  let parsed: matter.GrayMatterFile<string>
  try {
    // gray-matter caches by content; with no options object it would hand back a shared result.
    parsed = matter(text, { engines: { yaml: yamlEngine } })
  } catch (error) {
    const { line, reason } = describeYamlError(error)
    const alias = reason.includes('maxAliases')
    // gray-matter hands the parser the text from the end of the opening `---` line, so its
    // line 0 is file line 1, which is text line index 0.
    const plain = alias ? undefined : explainYamlError(reason, text.split('\n'), line)
    problems.push({
      file,
      ...(line === undefined ? {} : { line: (plain?.line ?? line) + 1 }),
      field: 'front matter',
      message: alias
        ? 'YAML aliases (*name) are not allowed'
        : (plain?.message ?? `YAML syntax error: ${reason}`),
      hint: alias
        ? 'Write each value out in full instead of referring to an &anchor'
        : (plain?.hint ??
          'Fix the YAML between the two --- lines; use spaces, not tabs, and close every quote'),
    })
    return undefined
  }
  const data: unknown = parsed.data
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      file,
      line: 2,
      field: 'front matter',
      message: 'front matter is not a set of fields',
      hint: 'Write one `field: value` per line between the --- lines, like `title: My article`',
    })
    return undefined
  }
  const lines = parsed.matter.replace(/^\n/, '').split('\n')
  const bodyLine = text.slice(0, text.length - parsed.content.length).split('\n').length
  return { data: data as Record<string, unknown>, body: parsed.content, bodyLine, lines }
}

function validateFrontMatter(
  file: string,
  data: Record<string, unknown>,
  lines: readonly string[],
  problems: Problem[],
): FrontMatter | undefined {
  const result = frontMatterSchema.safeParse(data)
  if (result.success) return result.data
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = closestField(key)
        problems.push({
          file,
          ...lineAt(lines, key),
          field: key,
          message: 'is not a known field',
          hint: suggestion
            ? `Did you mean \`${suggestion}\`?`
            : `Known fields: ${FRONT_MATTER_FIELDS.join(', ')}`,
        })
      }
      continue
    }
    const field = String(issue.path[0] ?? 'front matter')
    const where = issue.path.length > 1 ? `${issue.path.join('.')} ` : ''
    problems.push({
      file,
      ...lineAt(lines, field),
      field,
      message: `${where}${issue.code === 'invalid_type' ? `must be ${describeExpected(field)}` : issue.message}`,
      hint: issue.code === 'too_big' ? limitHint(field) : hintFor(field),
    })
  }
  return undefined
}

function lineAt(lines: readonly string[], field: string): { line?: number } {
  const line = lineOfField(lines, field)
  return line === undefined ? {} : { line }
}

function describeExpected(field: string): string {
  if (field === 'topics' || field === 'authors') return 'a list'
  if (field === 'draft') return 'true or false'
  return 'text'
}

function limitHint(field: string): string {
  return field === 'topics'
    ? 'Keep the few topics a reader would follow; each one is a feed of its own'
    : 'Shorten it, and put the rest in `summary` or the body'
}

function hintFor(field: string): string {
  switch (field) {
    case 'title':
      return 'Write the headline as text, like `title: "My headline"`'
    case 'topics':
      return 'Write a list, like `topics: [Ukraine, Russia]`'
    case 'authors':
      return 'Write a list of names, like `authors: [Jane Doe]`, or use `author: Jane Doe`'
    case 'draft':
      return 'Write `draft: true` or remove the field'
    case 'lang':
      return 'Use a language tag such as `en` or `pt-BR`'
    default:
      return `Write \`${field}\` as text, in quotes if it contains a colon`
  }
}

function requireDate(
  file: string,
  field: 'date' | 'updated',
  result: DateResult,
  line: number | undefined,
  problems: Problem[],
): Date | undefined {
  if (result.ok) return result.date
  problems.push({
    file,
    ...(line === undefined ? {} : { line }),
    field,
    message: result.reason,
    hint: 'Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
  })
  return undefined
}

/**
 * Parses one article file. `file` is the path shown in messages; `bytes` is
 * the file's content. The plain-text layout is recognised with or without
 * front matter: always in `.txt` files, and in markdown files whose body opens
 * with a `# Title` heading followed by a date line.
 */
export function parseArticle(file: string, bytes: Uint8Array): ParseResult {
  const tooBig = checkFileSize(file, bytes)
  if (tooBig) return { problems: [tooBig] }
  const problems: Problem[] = []
  const decoded = decodeFile(file, bytes)
  if ('problem' in decoded) return { problems: [decoded.problem] }
  const text = decoded.text
  const front = readFrontMatter(file, text, problems)
  if (!front) return { problems }
  const unclosedComment = checkUnclosedComment(file, front.body, front.bodyLine)
  if (unclosedComment) problems.push(unclosedComment)
  const frontMatter = validateFrontMatter(file, front.data, front.lines, problems)
  if (!frontMatter) return { problems }

  const bodyLines = front.body.split('\n')
  const layout = readPlainTextLayout(bodyLines, front.bodyLine, file.endsWith('.txt'))
  const body = layout ? layout.body : front.body.trim()

  const title = frontMatter.title ?? layout?.title.text
  const titleLine = frontMatter.title ? lineOfField(front.lines, 'title') : layout?.title.line
  if (!title) {
    problems.push({
      file,
      line: 1,
      field: 'title',
      message: 'the article has no title',
      hint: 'Add `title: …` to the front matter, or start the file with a `# Title` line',
    })
  }

  let published: Date | undefined
  if (frontMatter.date) {
    published = requireDate(
      file,
      'date',
      parseIsoDate(frontMatter.date),
      lineOfField(front.lines, 'date'),
      problems,
    )
  } else if (layout?.date) {
    published = requireDate(file, 'date', layout.date.result, layout.date.line, problems)
  } else {
    problems.push({
      file,
      ...(layout ? { line: layout.title.line + 1 } : { line: 1 }),
      field: 'date',
      message: 'the article has no date',
      hint: 'Add `date: 2024-10-22` to the front matter, or a date line like `October 22, 2024` under the title',
    })
  }
  const updated = frontMatter.updated
    ? requireDate(
        file,
        'updated',
        parseIsoDate(frontMatter.updated),
        lineOfField(front.lines, 'updated'),
        problems,
      )
    : undefined

  if (problems.length > 0 || !title || !published) return { problems }
  const sourceUrl = frontMatter.source_url ?? layout?.sourceUrl?.url
  const sourceUrlLine = frontMatter.source_url
    ? lineOfField(front.lines, 'source_url')
    : layout?.sourceUrl?.line
  const fieldLines: Record<string, number> = {}
  for (const field of Object.keys(frontMatter)) {
    const line = lineOfField(front.lines, field)
    if (line !== undefined) fieldLines[field] = line
  }
  const article: ParsedArticle = {
    file,
    title,
    published,
    frontMatter,
    body,
    bodyLine: front.bodyLine,
    fieldLines,
    ...(titleLine === undefined ? {} : { titleLine }),
    ...(updated ? { updated } : {}),
    ...((frontMatter.image_caption ?? layout?.caption)
      ? { caption: frontMatter.image_caption ?? layout?.caption }
      : {}),
    ...((frontMatter.image_credit ?? layout?.credit)
      ? { credit: frontMatter.image_credit ?? layout?.credit }
      : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
    ...(sourceUrlLine === undefined ? {} : { sourceUrlLine }),
  }
  return { article, problems }
}
