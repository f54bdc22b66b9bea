import { imageSize } from 'image-size'
import type { CompiledArticle, CompiledImage } from '../../contract/compiled.ts'
import { ORIGIN_PLACEHOLDER } from '../../contract/compiled.ts'
import type { Problem } from '../../contract/problem.ts'
import { escapeHtml } from '../../site/text.ts'
import { WORKERS_LIMITS } from '../platform-limits.ts'

/**
 * Images that ship with the articles: a file in the seeds folder, named by
 * an article's `image` field or by an image in its body, is published as a
 * static asset at the same path under the site root (`seeds/2024/harbour.jpg`
 * at `/2024/harbour.jpg`), with its byte length, type and size read here,
 * once, at build time. A relative reference is resolved against the
 * article's own folder and must name a file that is there; a path from the
 * site root (`/images/a.jpg`) is published when the seeds folder holds it and
 * otherwise left as a path some other server answers.
 */

/** One reference to an image in the seeds folder, found by the per-file phase. */
export interface LocalImageReference {
  /** The file, relative to the seeds folder, decoded (`2024/pic 1.png`). */
  path: string
  /** As the article wrote it, for messages. */
  written: string
  /** `image` (the front-matter field) or `body`. */
  field: 'image' | 'body'
  line?: number
  /** Relative references must name a file; paths from the site root may name one. */
  required: boolean
}

/** What the build knows of a published image file. */
export interface MediaFile {
  type: string
  length: number
  width: number
  height: number
}

/**
 * What an article compiles against for an image file it names: its
 * facts, or why readers cannot be given it (readMediaFile).
 */
export type MediaFacts = MediaFile | { reason: string }

/**
 * Types readers show, by what the bytes are (not the name). Others (AVIF,
 * SVG, TIFF…) many readers cannot display, so a local file must be one of these.
 */
const READER_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
}

/** The URL of a seeds file published at the same path: each segment percent-encoded. */
export function mediaUrl(path: string): string {
  return `${ORIGIN_PLACEHOLDER}/${path.split('/').map(encodeURIComponent).join('/')}`
}

/** The seeds path a placeholder URL names (decoded), or undefined for a URL elsewhere. */
export function mediaPath(url: string): string | undefined {
  if (!url.startsWith(`${ORIGIN_PLACEHOLDER}/`)) return undefined
  try {
    const path = decodeURIComponent(new URL(url).pathname).replace(/^\//, '')
    return path && !path.split('/').includes('..') ? path : undefined
  } catch {
    return undefined
  }
}

/** The base URL relative image references of an article file resolve against: its folder. */
export function imageBase(file: string): string {
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''
  return folder ? `${mediaUrl(folder)}/` : `${ORIGIN_PLACEHOLDER}/`
}

/**
 * Reads type, size and length from an image file's bytes; a reason when it
 * is not a reader's type. The build reads only the start of a file, as much
 * as this needs (see src/build/media-facts.ts).
 */
export function readMediaFile(bytes: Uint8Array): MediaFacts {
  let info: ReturnType<typeof imageSize>
  try {
    info = imageSize(bytes)
  } catch {
    return { reason: 'is not an image file' }
  }
  const type = info.type ? READER_TYPES[info.type] : undefined
  if (!type || !info.width || !info.height)
    return {
      reason: `is ${info.type ? `an image of type ${info.type.toUpperCase()}` : 'not an image file'}, which feed readers do not all show`,
    }
  // EXIF orientations 5 to 8 turn the picture a quarter: readers show it the other way round.
  const turned = (info.orientation ?? 1) >= 5
  return {
    type,
    length: bytes.byteLength,
    width: turned ? info.height : info.width,
    height: turned ? info.width : info.height,
  }
}

/** Adds width and height to every `<img>` of `html` that shows `url` and has none. */
function sizeImages(html: string, url: string, file: MediaFile): string {
  const src = `src="${escapeHtml(url)}"`
  return html.replace(/<img\b[^>]*>/g, (tag) =>
    tag.includes(src) && !/\swidth=/.test(tag)
      ? tag.replace(src, `${src} width="${file.width}" height="${file.height}"`)
      : tag,
  )
}

/**
 * Resolves an article's local image references against the facts of the
 * files the seeds folder holds (`media`, by seeds path): fills in the lead
 * image's length, type and size and sizes body images. A missing required
 * file, or one readers cannot show, is a problem naming the article and
 * line. The article is not changed; a new one is returned when its images
 * change it. It runs as the article compiles (compileFile), so its result is
 * kept with the rest in the build cache, for as long as the facts it used
 * hold: measured in the finishing phase instead, each article with a picture
 * read its HTML back, was sized, hashed and stored again on every build, 0.7 s
 * of a build after one edit at 10,000 articles with pictures.
 */
export function attachMedia(
  article: CompiledArticle,
  file: string,
  references: readonly LocalImageReference[],
  media: ReadonlyMap<string, MediaFacts>,
  problems: Problem[],
): CompiledArticle {
  let image = article.image
  // Read from the HTML store when an image is found (see html-store.ts), not before.
  let contentHtml: string | undefined
  let htmlRead = false
  let changed = false
  for (const reference of references) {
    const read = media.get(reference.path)
    const where = {
      file,
      ...(reference.line === undefined ? {} : { line: reference.line }),
      field: reference.field,
    }
    if (!read) {
      if (reference.required)
        problems.push({
          ...where,
          message: `"${reference.written}" is not in the seeds folder (looked for ${reference.path})`,
          hint: 'Put the image file beside the article, or correct the path',
        })
      continue
    }
    if ('reason' in read) {
      problems.push({
        ...where,
        message: `"${reference.written}" ${read.reason}`,
        hint: 'Save it as JPEG, PNG, GIF or WebP',
      })
      continue
    }
    // Published as a static asset, which may not be larger (wrangler deploy refuses the version).
    if (read.length > WORKERS_LIMITS.assetFileBytes) {
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
      problems.push({
        ...where,
        message: `"${reference.written}" is ${mib(read.length)} MiB, more than the ${mib(WORKERS_LIMITS.assetFileBytes)} MiB a Workers static asset may be`,
        hint: 'Save it smaller (a JPEG of a few hundred KB shows as well in every reader), or link it from another server by its https URL',
      })
      continue
    }
    const url = mediaUrl(reference.path)
    if (reference.field === 'image' && image?.url === url) {
      image = { ...image, ...read } satisfies CompiledImage
      changed = true
    }
    if (!htmlRead) {
      contentHtml = article.contentHtml
      htmlRead = true
    }
    if (contentHtml !== undefined) {
      const sized = sizeImages(contentHtml, url, read)
      changed ||= sized !== contentHtml
      contentHtml = sized
    }
  }
  if (!changed) return article
  return {
    ...article,
    ...(contentHtml === undefined ? {} : { contentHtml }),
    ...(image ? { image } : {}),
  }
}
