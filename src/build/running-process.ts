/**
 * Whether the process that wrote a lock file still runs (the build locks:
 * scripts/lib/build-lock.ts, src/build/prerender/fragment-file.ts).
 * Signal 0 only checks; EPERM means it runs, as another user.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
