import { mkdir, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { tryLock } from '../../src/build/lock-file.ts'

/**
 * One content build at a time per output folder. In `npm run dev` two
 * processes start builds (wrangler when the code changes, the dev script on
 * every save; see scripts/dev.ts), and two builds writing the same assets
 * folder at once could leave it half of each. A build takes the lock file
 * beside its output, or waits for the build that holds it. A lock whose
 * process is gone (killed mid-build) is taken over.
 */

export const BUILD_LOCK_FILE = '.build.lock'

/** How long a build waits for another before it gives up, ms. */
const WAIT_LIMIT_MS = 15 * 60_000

/** Runs `build` holding the lock of `folder`; `say` is told once when it has to wait. */
export async function withBuildLock<T>(
  folder: string,
  build: () => Promise<T>,
  say: (line: string) => void,
): Promise<T> {
  await mkdir(folder, { recursive: true })
  const lock = join(folder, BUILD_LOCK_FILE)
  const started = Date.now()
  let told = false
  // One build per process takes this lock: its own number on the lock is a dead build's.
  while (!tryLock(lock, { heldByThisProcess: false })) {
    if (Date.now() - started > WAIT_LIMIT_MS) {
      throw new Error(
        `${relative(process.cwd(), lock)}: another build has held it for ${WAIT_LIMIT_MS / 60_000} minutes. Stop that build, or delete the file if no build is running`,
      )
    }
    if (!told) say(`waiting for the build that holds ${relative(process.cwd(), lock)} to finish`)
    told = true
    await sleep(100)
  }
  try {
    return await build()
  } finally {
    await rm(lock, { force: true })
  }
}
