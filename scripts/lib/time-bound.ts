/**
 * Every phase of a benchmark runs under a time bound, so a corpus the design
 * cannot handle is reported ("timed out after 600 s", "failed: …") instead of
 * hanging the run. A phase gets an AbortSignal; the commands it starts stop
 * their whole process group when the signal fires (see stopOnAbort).
 */
import type { ChildProcess } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

/** How a bounded phase ended: its value, or why there is none. */
export type Outcome<T> =
  | { ok: true; value: T; ms: number }
  | { ok: false; reason: 'timed out' | 'did not fit' | 'failed'; message: string; ms: number }

/** Raised inside a phase when its time is up. */
export class PhaseTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: timed out after ${Math.round(ms / 1000)} s`)
    this.name = 'PhaseTimeout'
  }
}

/**
 * Runs `phase` with an AbortSignal that fires after `ms`, and never waits
 * longer than that (plus a short grace period for the phase to stop its
 * processes). Errors and the timeout become an Outcome; nothing is thrown.
 */
export async function runBounded<T>(
  what: string,
  ms: number,
  phase: (signal: AbortSignal) => Promise<T>,
): Promise<Outcome<T>> {
  const started = performance.now()
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      controller.abort(new PhaseTimeout(what, ms))
      // Give the phase a moment to stop what it started, then give up on it.
      setTimeout(() => fail(new PhaseTimeout(what, ms)), 10_000).unref()
    }, ms)
  })
  try {
    const value = await Promise.race([phase(controller.signal), timeout])
    return { ok: true, value, ms: performance.now() - started }
  } catch (error) {
    const elapsed = performance.now() - started
    if (controller.signal.aborted || error instanceof PhaseTimeout) {
      return {
        ok: false,
        reason: 'timed out',
        message: new PhaseTimeout(what, ms).message,
        ms: elapsed,
      }
    }
    if (error instanceof MemoryLimitExceeded) {
      return { ok: false, reason: 'did not fit', message: error.message, ms: elapsed }
    }
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, reason: 'failed', message: `${what}: ${firstLines(message)}`, ms: elapsed }
  } finally {
    clearTimeout(timer)
  }
}

/** The first lines of a long error message: enough to say what broke, short enough for a table. */
function firstLines(text: string, lines = 6): string {
  const all = text.split('\n')
  return all.length <= lines ? text : `${all.slice(0, lines).join('\n')}\n…`
}

/**
 * Stops `child`'s process group (it must be spawned with `detached: true`)
 * when `signal` fires: npm, tsx and wrangler start children of their own,
 * and a timed-out phase must leave none of them running.
 */
export function stopOnAbort(child: ChildProcess, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined
  const stop = () => killGroup(child)
  if (signal.aborted) stop()
  else signal.addEventListener('abort', stop, { once: true })
  return () => signal.removeEventListener('abort', stop)
}

/**
 * SIGTERM to the process group of a detached child, SIGKILL 5 s later if any
 * of the group is still there. The group is signalled even when the child
 * itself has exited: npm can leave wrangler and workerd behind.
 */
export function killGroup(child: ChildProcess): void {
  const pid = child.pid
  if (pid === undefined) return
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, signal)
      return true
    } catch {
      return false // The group is gone.
    }
  }
  if (!signalGroup('SIGTERM')) return
  setTimeout(() => {
    if (signalGroup(0)) signalGroup('SIGKILL')
  }, 5_000)
}

/** Throws the signal's reason when it has fired: a phase calls it between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted')
}

/** Raised when a command's processes together hold more memory than the run allows. */
export class MemoryLimitExceeded extends Error {
  constructor(what: string, limitBytes: number) {
    super(
      `${what}: did not fit: its processes held more than ${(limitBytes / 1024 ** 3).toFixed(1)} GiB of memory, so it was stopped`,
    )
    this.name = 'MemoryLimitExceeded'
  }
}

/** Resident memory of every process in a process group, in bytes (Linux: /proc/PID/stat). */
export async function readGroupRss(pgid: number): Promise<number> {
  let pages = 0
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // After the command name in parentheses: state, ppid, pgrp, … rss is the 22nd field (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid) pages += Number(fields[21]) || 0
  }
  return pages * 4096
}

/**
 * Watches a detached child's process group once a second and stops it when
 * the group holds more than `limitBytes`: on a shared machine a build that
 * does not fit must fail alone, not push everyone else's processes out.
 * Returns a function that stops watching; `exceeded()` says whether it fired.
 */
export function watchGroupMemory(
  child: ChildProcess,
  limitBytes: number | undefined,
): { stop: () => void; exceeded: () => boolean } {
  let fired = false
  if (limitBytes === undefined || child.pid === undefined)
    return { stop: () => undefined, exceeded: () => false }
  const pgid = child.pid
  const timer = setInterval(async () => {
    if (fired) return
    if ((await readGroupRss(pgid)) > limitBytes) {
      fired = true
      killGroup(child)
    }
  }, 1_000)
  return { stop: () => clearInterval(timer), exceeded: () => fired }
}
