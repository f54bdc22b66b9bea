import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'

/**
 * The build's lock files: a file created exclusively that names its process
 * (the build lock, scripts/lib/build-lock.ts; the kept fragments' lock,
 * src/build/prerender/fragment-file.ts). Held while that process runs; one
 * whose process is gone is taken over.
 */

/** A lock with no process number yet is being written, unless it is older than this. */
const BEING_WRITTEN_MS = 5_000

/** Whether a process runs: signal 0 only checks; EPERM means it runs, as another user. */
function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface LockRules {
  /**
   * A lock older than this is left over, whoever has its process number now
   * (numbers are reused once a process is gone). Default: never.
   */
  staleAfterMs?: number
  /**
   * Whether a lock naming this very process is held: true where one process
   * may take the lock twice (each holder then keeps to itself); false where it
   * takes it once, so that its own number on the lock can only be a dead
   * process's that the system gave it again.
   */
  heldByThisProcess: boolean
}

/**
 * Takes the lock at `path`; false while another holder has it. Throws when
 * the file cannot be made at all (a folder that is not writable).
 */
export function tryLock(path: string, rules: LockRules): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' })
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let holder: number
      let age: number
      try {
        holder = Number(readFileSync(path, 'utf8').trim())
        age = Date.now() - statSync(path).mtimeMs
      } catch {
        continue // Released meanwhile: try again.
      }
      const named = Number.isInteger(holder) && holder > 0
      if (!named && age < BEING_WRITTEN_MS) return false
      const running =
        holder === process.pid ? rules.heldByThisProcess : named && isProcessRunning(holder)
      if (running && age < (rules.staleAfterMs ?? Number.POSITIVE_INFINITY)) return false
      // Left by a process that stopped without releasing it: take it over. (Two processes
      // that find the same dead lock at the same moment could both take it.)
      rmSync(path, { force: true })
    }
  }
  return false
}
