import { readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { writeFileAtomically } from '../../src/build/atomic-file.ts'

/**
 * The published-article lock records what readers have seen: what was
 * deployed, not what a preview or a test built. Every build checks the
 * articles against the lock (src/build/content/published-lock.ts) and leaves
 * the lock as it would be after deploying this build in the output folder;
 * `npm run deploy` copies it over the committed lock once `wrangler deploy`
 * has succeeded. So an article that was never deployed can be deleted or
 * renamed freely, and one that was deployed is caught.
 */

/** Name of the lock a build would record, beside its compiled content. */
export const PENDING_LOCK_FILE = 'published.lock.json'

/** Keeps the lock this build would record, for `npm run deploy`; the committed lock is not touched. */
export async function writePendingLock(outFolder: string, text: string): Promise<void> {
  await writeFileAtomically(join(outFolder, PENDING_LOCK_FILE), text)
}

/** After a failed build there is nothing a deploy could record. */
export async function removePendingLock(outFolder: string): Promise<void> {
  await rm(join(outFolder, PENDING_LOCK_FILE), { force: true })
}

export type RecordResult =
  | { recorded: true; lock: string; changed: boolean; published: number }
  | { recorded: false; problem: string }

/**
 * Writes the lock of the last build in `outFolder` over the committed lock,
 * `lockPath`: run once the deploy of that build succeeded.
 */
export async function recordDeployedLock(
  outFolder: string,
  lockPath: string,
): Promise<RecordResult> {
  const pending = join(outFolder, PENDING_LOCK_FILE)
  const text = await readFile(pending, 'utf8').catch(() => undefined)
  if (text === undefined) {
    return {
      recorded: false,
      problem: `${relative(process.cwd(), pending)}: the build left no lock to record. Run \`npm run deploy\` again`,
    }
  }
  const before = await readFile(lockPath, 'utf8').catch(() => undefined)
  if (before !== text) await writeFileAtomically(lockPath, text)
  const published = (JSON.parse(text) as { published: unknown[] }).published.length
  return {
    recorded: true,
    lock: relative(process.cwd(), lockPath),
    changed: before !== text,
    published,
  }
}
