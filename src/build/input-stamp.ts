import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { writeFileAtomically } from './atomic-file.ts'
import { type FileStamp, fileStamp, settledBy } from './file-stamp.ts'
import { filesUnder } from './files-under.ts'

/**
 * A build with nothing to do, told without compiling anything. The last good
 * build records a key over everything it read — the stamp (file-stamp.ts) of
 * every file of the seeds folder, the settings, the code version and the
 * command's options — a key over the files it wrote, and until when its
 * output stays right (the first due time of an article still scheduled).
 * A build whose inputs and outputs match the record, before that time, has
 * nothing to do and says what the last one said. At 100,000 articles that is
 * a stat of every file (under a second) instead of taking every article from
 * the compile cache (about 12 s), and it is the build `wrangler deploy` and
 * `wrangler dev` run before anything else.
 *
 * A stamp cannot tell a change within the same tick of the file system's
 * clock as the stamp itself, so a build whose inputs changed less than
 * RACY_MS before it looked at them records nothing: the next build compiles
 * (from the cache) and records. The record is removed as a build starts, and
 * written only by a good one, so a failed build fails again.
 */

/** Changes when the record's layout or what the keys cover changes. */
const FORMAT = 'input-stamp 1'

/** What a build read, as it began. */
export interface InputScan {
  key: string
  /** Article files and the like: how many files of the folders were stamped. */
  files: number
  /** Whether no input changed within RACY_MS before the scan, so the key can be recorded. */
  settled: boolean
  /**
   * Each file's stamp, by its path under the folders as given, and when the
   * scan began (ms): the compile cache takes them instead of a stat of its
   * own (see compile-articles.ts).
   */
  stamps: SeenStamps
}

/** Stamps taken at one time, by path. */
export interface SeenStamps {
  at: number
  of: ReadonlyMap<string, FileStamp>
}

/** A file's stamp as `stamps` took it, or, when they did not, as it is now. */
export function stampOf(path: string, stamps: SeenStamps | undefined): FileStamp {
  return stamps?.of.get(path) ?? fileStamp(statSync(path, { bigint: true }))
}

/** What a good build recorded. */
export interface InputRecord {
  inputs: string
  outputs: string
  /** Epoch ms from which the output is no longer right (an article becomes due); null: never. */
  validUntil: number | null
  /** The warnings the build printed, to say again. */
  warnings: string[]
}

function hashStamps(
  paths: readonly string[],
  hash = createHash('sha256'),
  stamps?: Map<string, FileStamp>,
) {
  let newest = 0n
  // The lines go to the hash a few hundred at a time, the same bytes as one call each: a call
  // per file was 0.2 s of stamping 100,000 files.
  let lines = ''
  for (const path of paths) {
    const info = statSync(path, { bigint: true, throwIfNoEntry: false })
    if (!info?.isFile()) {
      lines += `missing ${path}\n`
    } else {
      if (info.mtimeNs > newest) newest = info.mtimeNs
      if (info.ctimeNs > newest) newest = info.ctimeNs
      const stamp = fileStamp(info)
      stamps?.set(path, stamp)
      lines += `${path}\t${stamp.size}\t${stamp.mtimeNs}\t${stamp.ctimeNs}\t${stamp.ino}\n`
    }
    if (lines.length >= 32 * 1024) {
      hash.update(lines)
      lines = ''
    }
  }
  hash.update(lines)
  return { hash, newest }
}

/**
 * Stamps the inputs: every file under `folders`, the single `files`, and
 * `settings` (anything else the output depends on, as text).
 */
export function scanInputs(input: {
  folders: readonly string[]
  files: readonly string[]
  settings: readonly string[]
}): InputScan {
  const at = Date.now()
  const scanned = settledBy(at)
  const stamps = new Map<string, FileStamp>()
  const hash = createHash('sha256').update(`${FORMAT}\n`)
  for (const setting of input.settings) hash.update(`${setting}\n`)
  let files = 0
  let newest = 0n
  for (const folder of input.folders) {
    // Links are stamped as what they lead to.
    const listed = filesUnder(folder, { links: true }).sort()
    files += listed.length
    hash.update(`folder ${folder} ${listed.length}\n`)
    const stamped = hashStamps(listed, hash, stamps)
    if (stamped.newest > newest) newest = stamped.newest
  }
  const single = hashStamps(input.files, hash)
  if (single.newest > newest) newest = single.newest
  return {
    key: hash.digest('base64url'),
    files,
    settled: newest < scanned,
    stamps: { at, of: stamps },
  }
}

/** The key of the files a build wrote (or, checked, the files a build would find). */
export function outputsKey(files: readonly string[]): string {
  return hashStamps(files).hash.digest('base64url')
}

/** The record at `path`, if there is a readable one of this format. */
export async function readInputRecord(path: string): Promise<InputRecord | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    const record = JSON.parse(text) as { format?: unknown } & InputRecord
    const valid =
      record.format === FORMAT &&
      typeof record.inputs === 'string' &&
      typeof record.outputs === 'string' &&
      (record.validUntil === null || typeof record.validUntil === 'number') &&
      Array.isArray(record.warnings) &&
      record.warnings.every((line) => typeof line === 'string')
    return valid ? record : undefined
  } catch {
    return undefined
  }
}

/** True when the record says the output is right for these inputs at `now`. */
export function upToDate(
  record: InputRecord | undefined,
  scan: InputScan,
  outputs: readonly string[],
  now: number,
): record is InputRecord {
  return (
    record !== undefined &&
    record.inputs === scan.key &&
    (record.validUntil === null || now < record.validUntil) &&
    record.outputs === outputsKey(outputs)
  )
}

export async function writeInputRecord(path: string, record: InputRecord): Promise<void> {
  await writeFileAtomically(path, JSON.stringify({ format: FORMAT, ...record }))
}

export async function removeInputRecord(path: string): Promise<void> {
  await rm(path, { force: true })
}
