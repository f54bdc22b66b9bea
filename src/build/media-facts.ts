import { closeSync, fstatSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { type MediaFacts, readMediaFile } from './content/article-images.ts'
import { readDigestedFileSync, writeDigestedFileSync } from './digested-file.ts'
import { readFully } from './file-ranges.ts'
import { type FileStamp, sameStamp, settledBefore, settledBy } from './file-stamp.ts'

/**
 * What the build knows of the image files its articles show (type, size in
 * pixels, byte length: see readMediaFile), without holding their bytes: a
 * newsroom's pictures are gigabytes (2.4 GB for 10,000 articles in the
 * benchmark with pictures), which the build once read whole, kept in memory
 * and wrote out again on every build. The facts come from the start of the
 * file, and the build cache keeps them by the file's stamp, so a build reads
 * only the images that changed; the files are published by copying them (see
 * write-worker-content.ts).
 */

/** Changes when the kept file's layout or what it holds changes. */
const FORMAT = 'media-facts 1'

/**
 * Bytes read first, then more when the facts are not in them: the size of a
 * JPEG is in its frame header, after its EXIF and colour profile segments
 * (up to 64 KB each); PNG, GIF and WebP say it at the start.
 */
const FIRST_READS = [16 * 1024, 256 * 1024]

/**
 * Up to this size a file that is no image readers show is read whole before
 * it is called one, so that its reason names its type (a TIFF's may be past
 * its start). A larger one (a video, an archive: any file of the folder that
 * is not an article is looked at) is judged by its start, unless it is a JPEG.
 */
const READ_WHOLE_BELOW = 1024 * 1024

/** The facts of an image file, read from as much of its start as they need. */
export function readMediaFacts(source: string): MediaFacts {
  const fd = openSync(source, 'r')
  try {
    const size = fstatSync(fd).size
    for (const want of [...FIRST_READS, size]) {
      const length = Math.min(want, size)
      const bytes = Buffer.allocUnsafe(length)
      const got = readFully(fd, bytes, 0, length, 0)
      const facts = readMediaFile(bytes.subarray(0, got))
      if (!('reason' in facts)) return { ...facts, length: size }
      // A start that says nothing of the size may be too short: only the whole file is final.
      const jpeg = got >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8
      if (length >= size || got < length || (!jpeg && size > READ_WHOLE_BELOW)) return facts
    }
    return { reason: 'is not an image file' }
  } finally {
    closeSync(fd)
  }
}

/** A kept file's facts: its stamp, when they were read (ms), and the facts. */
type KeptFacts = [FileStamp, number, MediaFacts]

/**
 * The facts of a seeds folder's images, kept between builds in `file` (in
 * the build cache) by each image's stamp; without a file, each is read.
 * The file carries a digest of itself (digested-file.ts), so an edited or
 * cut one is not used, and names only the images the last build asked about.
 */
export class MediaFactsFile {
  readonly #file: string | undefined
  readonly #kept: Record<string, KeptFacts>
  readonly #used: Record<string, KeptFacts> = {}
  /** Facts taken from the kept ones, and facts read: the file is written again only when it changes. */
  #taken = 0
  #read = 0

  constructor(file?: string) {
    this.#file = file
    this.#kept = file === undefined ? {} : readKept(file)
  }

  /**
   * The facts of the image at `source`, whose stamp is `stamp` (taken before
   * it is read): kept ones when the file is unchanged since, and was already
   * a tick old then (RACY_MS: a change within the tick can leave the stamp
   * as it was).
   */
  of(source: string, stamp: FileStamp): MediaFacts {
    const kept = Object.hasOwn(this.#kept, source) ? this.#kept[source] : undefined
    if (kept && sameStamp(kept[0], stamp) && settledBefore(stamp, settledBy(kept[1]))) {
      if (!Object.hasOwn(this.#used, source)) this.#taken++
      this.#used[source] = kept
      return kept[2]
    }
    const read = Date.now()
    const facts = readMediaFacts(source)
    this.#used[source] = [stamp, read, facts]
    this.#read++
    return facts
  }

  /**
   * Keeps the facts asked for since this file was opened, for the next
   * build; a file that would hold what it holds already is left as it is.
   */
  save(): void {
    if (this.#file === undefined) return
    if (this.#read === 0 && this.#taken === Object.keys(this.#kept).length) return
    mkdirSync(dirname(this.#file), { recursive: true })
    writeDigestedFileSync(this.#file, JSON.stringify({ format: FORMAT, files: this.#used }))
  }
}

function isStamp(value: unknown): value is FileStamp {
  const stamp = value as FileStamp
  return (
    typeof stamp === 'object' &&
    stamp !== null &&
    Number.isSafeInteger(stamp.size) &&
    [stamp.mtimeNs, stamp.ctimeNs, stamp.ino].every((part) => /^\d+$/.test(String(part)))
  )
}

function isFacts(value: unknown): value is MediaFacts {
  const facts = value as Record<string, unknown>
  if (typeof facts !== 'object' || facts === null) return false
  if (typeof facts.reason === 'string') return true
  return (
    typeof facts.type === 'string' &&
    [facts.length, facts.width, facts.height].every(
      (n) => Number.isSafeInteger(n) && (n as number) >= 0,
    )
  )
}

/** The kept facts, by source path; none when the file is missing, damaged or of another format. */
function readKept(file: string): Record<string, KeptFacts> {
  try {
    const body = readDigestedFileSync(file)
    if (body === undefined) return {}
    const kept = JSON.parse(body) as { format?: unknown; files?: unknown }
    if (kept.format !== FORMAT || typeof kept.files !== 'object' || kept.files === null) return {}
    const files: Record<string, KeptFacts> = {}
    for (const [source, entry] of Object.entries(kept.files as Record<string, unknown>)) {
      if (
        Array.isArray(entry) &&
        entry.length === 3 &&
        isStamp(entry[0]) &&
        Number.isFinite(entry[1]) &&
        isFacts(entry[2])
      )
        files[source] = entry as KeptFacts
    }
    return files
  } catch {
    return {}
  }
}
