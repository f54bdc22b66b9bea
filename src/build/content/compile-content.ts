import { createHash } from 'node:crypto'
import type {
  CompiledArticle,
  CompiledAuthor,
  CompiledContent,
  CompiledImage,
  DescribedTopic,
} from '../../contract/compiled.ts'
import { ORIGIN_PLACEHOLDER } from '../../contract/compiled.ts'
import { isError, type Problem } from '../../contract/problem.ts'
import {
  collapseWhitespace,
  escapeHtml,
  slugify,
  stripXmlForbidden,
  truncateAtWord,
} from '../../site/text.ts'
import {
  attachMedia,
  imageBase,
  type LocalImageReference,
  type MediaFacts,
  type MediaFile,
  mediaPath,
  readMediaFile,
} from './article-images.ts'
import { findArticleWarnings } from './article-warnings.ts'
import { type ParsedArticle, parseArticle } from './parse-article.ts'
import { findRedirectConflicts, redirectsFor } from './redirects.ts'
import { firstParagraphText, renderMarkdown } from './render-markdown.ts'
import { parseTaxonomy, TAXONOMY_FILE, type Taxonomy } from './taxonomy.ts'
import { inferTopics, resolveListedTopics } from './topic-rules.ts'

/**
 * Compiling a folder of articles into the content the worker serves. Pure:
 * files in, content or problems out; the build script does the reading and
 * writing.
 */

/** One file of the seeds folder. */
export interface SourceFile {
  /** Path relative to the seeds folder, with forward slashes. */
  path: string
  bytes: Uint8Array
}

/** `problems` are the errors; `warnings` never fail a build. Both in reading order. */
export type CompileResult =
  | {
      ok: true
      content: CompiledContent
      drafts: number
      /** The file of each article, by id, for messages about published articles. */
      files: Record<string, string>
      /** Image files of the seeds folder the articles show, by path, with their facts: published as they are. */
      media: Map<string, MediaFile>
      warnings: Problem[]
    }
  | { ok: false; problems: Problem[]; warnings: Problem[] }

/** File endings read as articles; everything else in the folder is left alone. */
export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.txt']

const SUMMARY_LENGTH = 280
/** Longest slug, in characters; longer titles are cut at a hyphen. */
export const SLUG_LENGTH = 96

/** Image types by file ending. `feed` would say `image/jpg`, which is not a registered type. */
const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
}

/** Fixed namespace for article ids (a UUID of our own; it must never change). */
const ID_NAMESPACE = '3f9a1f7c-6a55-4d55-9f3e-8f1c2b7d4e60'

/** RFC 9562 UUID version 5: a name-based id that is the same on every build. */
function uuidV5(name: string): string {
  const namespace = Buffer.from(ID_NAMESPACE.replace(/-/g, ''), 'hex')
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i

/**
 * The published id. An explicit `id` that is already a URI (tag:, urn:,
 * https:) is kept as it is, so ids from an earlier system survive a move; any
 * other id, or the file's path when there is none, is turned into a UUID URN.
 * Neither depends on the title or the body, so editing them keeps the id.
 */
function stableId(article: ParsedArticle): string {
  const explicit = article.frontMatter.id?.trim()
  if (explicit && ABSOLUTE_URI.test(explicit)) return explicit
  const key = explicit ?? article.file.replace(/\.[^./]+$/, '')
  return `urn:uuid:${uuidV5(key.normalize('NFC').toLowerCase())}`
}

function lineOf(article: ParsedArticle, field: string): { line?: number } {
  const line = article.fieldLines[field]
  return line === undefined ? {} : { line }
}

function clean(text: string): string {
  return collapseWhitespace(stripXmlForbidden(text))
}

/** The URL segment of an article: its `slug` field or title, slugified and cut to a readable length. */
export function articleSlug(slugOrTitle: string): string {
  const slug = slugify(slugOrTitle)
  if (slug.length <= SLUG_LENGTH) return slug
  const cut = slug.slice(0, SLUG_LENGTH)
  return cut.slice(0, Math.max(cut.lastIndexOf('-'), SLUG_LENGTH / 2)).replace(/-+$/, '')
}

function slugFor(article: ParsedArticle): string {
  return articleSlug(article.frontMatter.slug ?? article.title)
}

function authorsFor(article: ParsedArticle): CompiledAuthor[] {
  const { author, authors } = article.frontMatter
  const list = authors ?? (author ? [{ name: author }] : [])
  return list.map((entry) => ({
    name: clean(entry.name),
    ...('url' in entry && entry.url ? { url: entry.url.trim() } : {}),
  }))
}

function absoluteHttpUrl(
  value: string,
  base: string,
): { url: string; ok: true } | { ok: false; reason: string } {
  try {
    const url = new URL(value, base)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return { ok: false, reason: `"${value}" is not an http or https URL` }
    }
    return { ok: true, url: url.href }
  } catch {
    return { ok: false, reason: `"${value}" is not a URL` }
  }
}

function imageFor(
  article: ParsedArticle,
  references: LocalImageReference[],
  problems: Problem[],
): CompiledImage | undefined {
  const value = article.frontMatter.image
  if (!value) return undefined
  // A relative path names a file beside the article (article-images.ts).
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('/')
  const resolved = absoluteHttpUrl(value, imageBase(article.file))
  if (!resolved.ok) {
    problems.push({
      file: article.file,
      ...lineOf(article, 'image'),
      field: 'image',
      message: resolved.reason,
      hint: 'Give the image as an https URL or a path on this site, like /images/photo.jpg',
    })
    return undefined
  }
  const path = mediaPath(resolved.url)
  if (path !== undefined)
    references.push({
      path,
      written: value,
      field: 'image',
      ...lineOf(article, 'image'),
      required: relative,
    })
  const extension = new URL(resolved.url).pathname.split('.').pop()?.toLowerCase() ?? ''
  // A file of the seeds folder gets its type from its bytes (attachMedia, as the article compiles).
  const type = IMAGE_TYPES[extension] ?? (relative ? 'application/octet-stream' : undefined)
  if (!type) {
    problems.push({
      file: article.file,
      ...lineOf(article, 'image'),
      field: 'image',
      message: `cannot tell the image type of "${value}" from its name`,
      hint: `Use an image whose path ends in .${Object.keys(IMAGE_TYPES).join(', .')}`,
    })
    return undefined
  }
  return { url: resolved.url, type }
}

function sourceFor(
  article: ParsedArticle,
  problems: Problem[],
): { sourceUrl?: string; sourceName?: string } {
  if (!article.sourceUrl) return {}
  let url: URL | undefined
  try {
    url = new URL(article.sourceUrl)
  } catch {
    url = undefined
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    /\s/.test(article.sourceUrl)
  ) {
    problems.push({
      file: article.file,
      ...(article.sourceUrlLine === undefined ? {} : { line: article.sourceUrlLine }),
      field: 'source_url',
      message: `"${article.sourceUrl}" is not an absolute http or https URL`,
      hint: 'Give the full address of the original publication, like https://example.com/story',
    })
    return {}
  }
  const sourceName = article.frontMatter.source_name
    ? clean(article.frontMatter.source_name)
    : url.hostname.replace(/^www\./, '')
  return { sourceUrl: url.href, sourceName }
}

/** The picture, its caption and its credit, as the opening of the article's HTML. */
function leadHtml(image: CompiledImage | undefined, caption?: string, credit?: string): string {
  const captionHtml = [
    caption ? escapeHtml(caption) : '',
    credit ? `<strong>${escapeHtml(credit)}</strong>` : '',
  ]
    .filter(Boolean)
    .join(' ')
  if (image) {
    const alt = escapeHtml(caption ?? '')
    const figcaption = captionHtml ? `<figcaption>${captionHtml}</figcaption>` : ''
    return `<figure><img src="${escapeHtml(image.url)}" alt="${alt}">${figcaption}</figure>`
  }
  return captionHtml ? `<p>${captionHtml}</p>` : ''
}

/** The file line where the body writes `written`, when it can be found. */
function bodyLineOf(article: ParsedArticle, written: string): { line?: number } {
  const at = article.body.indexOf(written)
  if (at < 0) return {}
  return { line: article.bodyLine + article.body.slice(0, at).split('\n').length - 1 }
}

function compileArticle(
  article: ParsedArticle,
  problems: Problem[],
  taxonomy: Taxonomy | undefined,
  references: LocalImageReference[],
): CompiledArticle | undefined {
  const before = problems.length
  const slug = slugFor(article)
  if (!slug) {
    problems.push({
      file: article.file,
      ...(article.titleLine === undefined ? {} : { line: article.titleLine }),
      field: 'slug',
      message: 'the title has no letters or digits to make a URL from',
      hint: 'Add `slug: a-readable-name` to the front matter',
    })
  }
  const explicitId = article.frontMatter.id?.trim()
  if (explicitId && ABSOLUTE_URI.test(explicitId) && !URL.canParse(explicitId)) {
    problems.push({
      file: article.file,
      ...lineOf(article, 'id'),
      field: 'id',
      message: `"${explicitId}" looks like a URI but is not a valid one`,
      hint: 'Use a valid URI such as `tag:example.com,2024:my-story`, or a plain word to have one made from it',
    })
  }
  const pageUrl = `${ORIGIN_PLACEHOLDER}/articles/${encodeURIComponent(slug)}/`
  const listedTopics = article.frontMatter.topics
    ? resolveListedTopics(
        article.frontMatter.topics,
        taxonomy,
        { file: article.file, ...lineOf(article, 'topics'), taxonomyFile: TAXONOMY_FILE },
        problems,
      )
    : undefined
  const image = imageFor(article, references, problems)
  const source = sourceFor(article, problems)
  const redirects = redirectsFor(article, problems)
  problems.push(...findArticleWarnings(article))
  if (problems.slice(before).some(isError)) return undefined

  const caption = article.caption ? clean(article.caption) : undefined
  const credit = article.credit ? clean(article.credit) : undefined
  const bodyHtml = renderMarkdown(stripXmlForbidden(article.body), pageUrl, {
    imageBase: imageBase(article.file),
    onLocalImage: (written, resolved) => {
      const path = mediaPath(resolved)
      if (path === undefined) return
      const trimmed = written.trim()
      references.push({
        path,
        written: trimmed,
        field: 'body',
        ...bodyLineOf(article, trimmed),
        required: !trimmed.startsWith('/'),
      })
    },
  })
  const contentHtml = stripXmlForbidden(`${leadHtml(image, caption, credit)}${bodyHtml}`)
  const summary = article.frontMatter.summary
    ? clean(article.frontMatter.summary)
    : truncateAtWord(clean(firstParagraphText(bodyHtml)), SUMMARY_LENGTH)

  return {
    id: stableId(article),
    slug,
    title: clean(article.title),
    summary,
    contentHtml,
    published: article.published.toISOString(),
    ...(article.updated ? { updated: article.updated.toISOString() } : {}),
    topics:
      listedTopics ??
      inferTopics(taxonomy, article.title, bodyHtml).map(({ slug, name }) => ({ slug, name })),
    authors: authorsFor(article),
    ...(image ? { image } : {}),
    ...(caption ? { imageCaption: caption } : {}),
    ...(credit ? { imageCredit: credit } : {}),
    ...source,
    ...(article.frontMatter.lang ? { lang: article.frontMatter.lang } : {}),
    ...(redirects.length > 0 ? { redirectFrom: redirects } : {}),
  }
}

/**
 * One article file compiled on its own, with no knowledge of the others: the
 * result of the per-file phase, which may run in a worker thread or come from
 * the build cache, so it is plain JSON data.
 */
export interface CompiledFile {
  /** Path relative to the seeds folder, with forward slashes. */
  file: string
  /** This file's errors and warnings, in reading order. */
  problems: Problem[]
  /** The compiled article; absent when the file has errors. */
  article?: CompiledArticle
  /** True for a draft, which compiles (so its problems show) but never publishes. */
  draft?: boolean
  /** SHA-256 of the article's JSON, for the content version: hashed once, here, not per build. */
  articleHash?: string
  /** Where the fields the checks across articles name are written, for their messages. */
  places: {
    /** The `id` as written, when the file gives one. */
    writtenId?: string
    idLine?: number
    /** The `slug` field's line, else the title's. */
    slugLine?: number
    redirectFromLine?: number
  }
  /** Images the article names in the seeds folder, checked and measured as it compiled. */
  images?: LocalImageReference[]
  /**
   * What was known of each of `images` as the article compiled (its facts, or
   * null where the seeds folder had no such file): the result holds while
   * they are still so (see mediaFactsHold), and the finishing phase publishes
   * the files from them.
   */
  imageFacts?: (MediaFacts | null)[]
}

/** No image files: what a file compiles against when it is given none. */
const NO_MEDIA: ReadonlyMap<string, MediaFacts> = new Map()

function placesOf(parsed: ParsedArticle): CompiledFile['places'] {
  const slugLine = parsed.frontMatter.slug ? parsed.fieldLines.slug : parsed.titleLine
  const places: CompiledFile['places'] = {}
  if (parsed.frontMatter.id) places.writtenId = parsed.frontMatter.id
  if (parsed.fieldLines.id !== undefined) places.idLine = parsed.fieldLines.id
  if (slugLine !== undefined) places.slugLine = slugLine
  if (parsed.fieldLines.redirect_from !== undefined)
    places.redirectFromLine = parsed.fieldLines.redirect_from
  return places
}

/**
 * The per-file phase: reads, validates and renders one article file. Pure and
 * independent of every other article, so files compile in any order, on any
 * thread, or come from the cache; its other inputs are the taxonomy and the
 * facts of the seeds folder's other files (`media`, by seeds path: see
 * src/build/media-facts.ts), which measure the images it shows (attachMedia)
 * and which it records (`imageFacts`).
 */
export function compileFile(
  file: SourceFile,
  taxonomy: Taxonomy | undefined,
  media: ReadonlyMap<string, MediaFacts> = NO_MEDIA,
): CompiledFile {
  const parsed = parseArticle(file.path, file.bytes)
  const problems = [...parsed.problems]
  if (!parsed.article) return { file: file.path, problems, places: {} }
  const images: LocalImageReference[] = []
  let article = compileArticle(parsed.article, problems, taxonomy, images)
  const measured = article !== undefined && images.length > 0
  if (article && measured) article = attachMedia(article, file.path, images, media, problems)
  return {
    file: file.path,
    problems,
    places: placesOf(parsed.article),
    ...(measured
      ? { images, imageFacts: images.map((reference) => media.get(reference.path) ?? null) }
      : {}),
    ...(article ? { article, articleHash: articleHashOf(article) } : {}),
    ...(article && parsed.article.frontMatter.draft ? { draft: true } : {}),
  }
}

/**
 * Whether a result still holds for the seeds folder's files as they are now
 * (`media`, as compileFile takes it): each image it shows is as it was when
 * it compiled. A result from the build cache that does not is compiled again.
 */
export function mediaFactsHold(
  compiled: CompiledFile,
  media: ReadonlyMap<string, MediaFacts>,
): boolean {
  const { images, imageFacts } = compiled
  if (!images) return true
  if (!Array.isArray(imageFacts) || imageFacts.length !== images.length) return false
  return images.every((reference, i) =>
    sameFacts(imageFacts[i] ?? null, media.get(reference.path) ?? null),
  )
}

function sameFacts(a: MediaFacts | null, b: MediaFacts | null): boolean {
  if (a === null || b === null) return a === b
  if ('reason' in a || 'reason' in b) return 'reason' in a && 'reason' in b && a.reason === b.reason
  return a.type === b.type && a.length === b.length && a.width === b.width && a.height === b.height
}

/** What the content version takes of an article: a SHA-256 of its JSON. */
function articleHashOf(article: CompiledArticle): string {
  return createHash('sha256').update(JSON.stringify(article)).digest('hex')
}

/** A compiled file that publishes: it has an article and is not a draft. */
export type PublishedFile = CompiledFile & { article: CompiledArticle }

/** Two articles may not share an id (compared case-insensitively) or a slug. */
function findCollisions(compiled: readonly PublishedFile[], problems: Problem[]): void {
  const ids = new Map<string, PublishedFile>()
  const slugs = new Map<string, PublishedFile>()
  for (const entry of compiled) {
    const { article, places } = entry
    const sameId = ids.get(article.id.toLowerCase())
    if (sameId) {
      const written = places.writtenId ? `id "${places.writtenId}"` : 'file name'
      problems.push({
        file: entry.file,
        ...(places.idLine === undefined ? {} : { line: places.idLine }),
        field: 'id',
        message: `its ${written} gives the same id as ${sameId.file} (${article.id})`,
        hint: 'Give one of the two articles a different `id`; ids compare without regard to case',
      })
    } else {
      ids.set(article.id.toLowerCase(), entry)
    }
    const sameSlug = slugs.get(article.slug)
    if (sameSlug) {
      problems.push({
        file: entry.file,
        ...(places.slugLine === undefined ? {} : { line: places.slugLine }),
        field: 'slug',
        message: `its URL /articles/${article.slug}/ is already taken by ${sameSlug.file}`,
        hint: 'Give one of the two articles a different `slug` in its front matter',
      })
    } else {
      slugs.set(article.slug, entry)
    }
  }
}

/** Newest first; the id breaks ties so the order never depends on file order. */
function byNewest(a: CompiledArticle, b: CompiledArticle): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The article files of a folder, in the order the build reads them (by path, code unit by code unit). */
export function articleFiles<T extends { path: string }>(files: readonly T[]): T[] {
  return files
    .filter((file) => isArticleFile(file.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Whether the build reads a file of the seeds folder as an article, by its ending. */
export function isArticleFile(path: string): boolean {
  const lower = path.toLowerCase()
  return ARTICLE_EXTENSIONS.some((extension) => lower.endsWith(extension))
}

/** The taxonomy file of a folder (TAXONOMY_FILE at its top), parsed; its problems too. */
export function readTaxonomy(taxonomyFile: SourceFile | undefined): {
  taxonomy?: Taxonomy
  problems: Problem[]
} {
  if (!taxonomyFile) return { problems: [] }
  const parsed = parseTaxonomy(taxonomyFile.path, taxonomyFile.bytes)
  return { problems: parsed.problems, ...(parsed.taxonomy ? { taxonomy: parsed.taxonomy } : {}) }
}

/**
 * The finishing phase, over every file's result in reading order (see
 * articleFiles): the checks across articles (ids, slugs, old URLs), the order
 * of the articles, the topics and the content version. `taxonomyProblems`
 * come first, as the taxonomy is read first. The image files the published
 * articles show are published, as their results measured them.
 */
export function finishContent(
  compiledFiles: readonly CompiledFile[],
  taxonomy: { taxonomy?: Taxonomy; problems: readonly Problem[] },
): CompileResult {
  const problems: Problem[] = [...taxonomy.problems]
  const compiled: PublishedFile[] = []
  const published = new Map<string, MediaFile>()
  let drafts = 0
  for (const entry of compiledFiles) {
    problems.push(...entry.problems)
    if (!entry.article) continue
    // A draft's images are checked too (its problems), but only published articles publish theirs.
    if (entry.draft) {
      drafts++
      continue
    }
    for (const [i, reference] of (entry.images ?? []).entries()) {
      const facts = entry.imageFacts?.[i]
      if (facts && !('reason' in facts)) published.set(reference.path, facts)
    }
    compiled.push(entry as PublishedFile)
  }
  findCollisions(compiled, problems)
  findRedirectConflicts(compiled, problems)
  const warnings = problems.filter((problem) => !isError(problem))
  const errors = problems.filter(isError)
  if (errors.length > 0) return { ok: false, problems: errors, warnings }
  const articles = compiled.map((entry) => entry.article).sort(byNewest)
  const topics: DescribedTopic[] | undefined = taxonomy.taxonomy?.topics.map(
    ({ slug, name, description }) => ({ slug, name, description }),
  )
  // The hash of each article, in order: one JSON string of a large site would be hundreds of
  // megabytes, and each article's hash was taken when it compiled.
  const hashes = new Map(compiled.map((entry) => [entry.article, entry.articleHash]))
  const hash = createHash('sha256')
  for (const article of articles)
    hash.update(hashes.get(article) ?? articleHashOf(article)).update('\n')
  const version = hash
    .update(JSON.stringify(topics ?? null))
    .digest('base64url')
    .slice(0, 22)
  const sources = Object.fromEntries(compiled.map((entry) => [entry.article.id, entry.file]))
  return {
    ok: true,
    content: { version, articles, ...(topics ? { topics } : {}) },
    drafts,
    files: sources,
    media: published,
    warnings,
  }
}

/**
 * Compiles every article file, with the taxonomy when the folder has one
 * (TAXONOMY_FILE at its top), on this thread. Drafts are dropped here, so
 * nothing later can publish one. The build does the same work in parallel and
 * from its cache (src/build/compile-articles.ts), with the same result.
 */
export function compileContent(files: readonly SourceFile[]): CompileResult {
  const taxonomy = readTaxonomy(files.find((file) => file.path === TAXONOMY_FILE))
  // Every other file may be an image an article shows: each one's facts, from its bytes.
  const media = new Map(
    files
      .filter((file) => !isArticleFile(file.path))
      .map((file) => [file.path, readMediaFile(file.bytes)]),
  )
  const compiled = articleFiles(files).map((file) => compileFile(file, taxonomy.taxonomy, media))
  return finishContent(compiled, taxonomy)
}
