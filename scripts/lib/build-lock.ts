import { mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isProcessRunning } from '../../src/build/running-process.ts'

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
  for (;;) {
    const handle = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined
      throw error
    })
    if (handle) {
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    }
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim())
    // No pid yet: the holder is between creating the file and writing it, unless that was long ago.
    const beingTaken =
      !(Number.isInteger(holder) && holder > 0) &&
      Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? 0) < 5_000
    if (beingTaken || (holder !== process.pid && isProcessRunning(holder))) {
      if (Date.now() - started > WAIT_LIMIT_MS) {
        throw new Error(
          `${relative(process.cwd(), lock)}: another build has held it for ${WAIT_LIMIT_MS / 60_000} minutes. Stop that build, or delete the file if no build is running`,
        )
      }
      if (!told) say(`waiting for the build that holds ${relative(process.cwd(), lock)} to finish`)
      told = true
      await sleep(100)
      continue
    }
    // Left by a build that stopped without releasing it: take it over. (Two builds that find the
    // same dead lock at the same moment could both take it; in the preview that means a killed
    // build and two more started within the same tenth of a second.)
    await rm(lock, { force: true })
  }
  try {
    return await build()
  } finally {
    await rm(lock, { force: true })
  }
}
