import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { CompiledContent } from '../contract/compiled.ts'
import { writeFileAtomically } from './atomic-file.ts'
import { hashParts } from './compile-cache.ts'
import { codeOf } from './compile-code-version.ts'

/**
 * The published-article lock as the last good build checked it, kept in the
 * build cache. Checking the articles against the lock and formatting the lock
 * they leave (content/published-lock.ts) takes every entry, half a second at
 * 100,000 articles, and its answer follows from the lock file's text and,
 * of each article, its id, its slug, its old URLs and its file alone. A
 * build whose key over those is the kept one's gives the kept text: the same
 * text the check would write, and the check found nothing, or the text would
 * not have been kept. The file holds its text's digest: a damaged or foreign
 * file is ignored, and the check runs.
 */

/** Changes when the file's layout or what the key covers changes. */
const FORMAT = 'checked-lock 1'

/** The key of a lock check: the code that checks, the lock file's text, and the articles' part. */
export function checkedLockKey(
  lockText: string | undefined,
  content: CompiledContent,
  files: Readonly<Record<string, string>>,
): string {
  const code = codeOf(
    fileURLToPath(new URL('./content/published-lock.ts', import.meta.url).href),
  ).version
  const hash = createHash('sha256').update(`${FORMAT}\n${code}\n`)
  hash.update(lockText === undefined ? 'no lock\n' : `lock ${lockText.length}\n${lockText}\n`)
  // A line per article, hashed a batch at a time: a call per article cost more than the lines.
  let batch = ''
  for (const article of content.articles) {
    batch += `${article.id}\t${article.slug}\t${files[article.id] ?? ''}\t${(article.redirectFrom ?? []).join('\t')}\n`
    if (batch.length > 65_536) {
      hash.update(batch)
      batch = ''
    }
  }
  return hash.update(batch).digest('hex')
}

/** The kept lock text for `key`, if the file at `path` holds one, whole. */
export async function readCheckedLock(path: string, key: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  const newline = text.indexOf('\n')
  const [format, keptKey, digest] = text.slice(0, Math.max(0, newline)).split('\t')
  if (newline < 0 || format !== FORMAT || keptKey !== key) return undefined
  const lock = text.slice(newline + 1)
  return hashParts(lock) === digest ? lock : undefined
}

/** Keeps a good check's lock text under its key; a file it cannot write costs the next build a check. */
export async function writeCheckedLock(path: string, key: string, lock: string): Promise<void> {
  try {
    await writeFileAtomically(path, `${FORMAT}\t${key}\t${hashParts(lock)}\n${lock}`)
  } catch {
    // Only time is lost.
  }
}
