import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writing a file that another process, or the next build, may read at any
 * moment: the bytes go to a file of their own beside the target, which is
 * then renamed over it. A rename within a folder is atomic (POSIX rename(2)),
 * so a reader finds the old file or the new one, never half of one, and a
 * build stopped half way leaves the old one whole. The temporary file is
 * named after this process, so two builds writing the same file do not write
 * into each other's, and it is removed when the write fails.
 *
 * Every record a build keeps (the cache's manifest, the input record, the
 * output stamp, the kept lock check, the kept-assets list, the fragment
 * index) and every file the commands leave for the next one (the pending and
 * deployed lock, the notify record, the site index modules) is written
 * through here.
 */

function temporaryFor(path: string): string {
  return `${path}.${process.pid}.tmp`
}

export interface AtomicWriteOptions {
  /**
   * Leaves a file that holds these bytes already as it is: `wrangler dev`
   * bundles and restarts the worker on every write to a module it imports.
   */
  unlessSame?: boolean
}

/** Writes `data` to `path` whole or not at all (see above); makes its folder when missing. */
export async function writeFileAtomically(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (options.unlessSame) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    const current = await readFile(path).catch(() => undefined)
    if (current?.equals(bytes)) return
  }
  await mkdir(dirname(path), { recursive: true })
  const temporary = temporaryFor(path)
  try {
    await writeFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** writeFileAtomically for the build's synchronous steps. */
export function writeFileAtomicallySync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = temporaryFor(path)
  try {
    writeFileSync(temporary, data)
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}
