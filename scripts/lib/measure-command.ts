/**
 * Wall time and peak memory of a command, for build benchmarks. Peak memory
 * is GNU time's maximum resident set size (`%M`), which wait4(2) reports for
 * the child and every descendant it waited for — so a CLI that runs its work
 * in a child process (tsx, hugo's workers) is measured whole.
 */
import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryLimitExceeded, stopOnAbort, watchGroupMemory } from './time-bound.ts'

/** What one command cost. */
export interface CommandCost {
  wallMs: number
  /** Largest resident set size of the command or one of its descendants, in bytes. */
  peakRssBytes: number
}

const GNU_TIME = '/usr/bin/time'

/** Runs `command args…` in `cwd` and measures it; fails with its output when it fails. */
export async function measureCommand(
  command: string,
  args: readonly string[],
  options: {
    cwd: string
    env?: NodeJS.ProcessEnv
    /** Stops the command and everything it started (its process group) when fired. */
    signal?: AbortSignal
    /** Stops it, as not fitting, when its processes together hold more memory than this. */
    maxRssBytes?: number
  },
): Promise<CommandCost> {
  const report = join(tmpdir(), `measure-${process.pid}-${Date.now()}.txt`)
  const started = performance.now()
  const output = await new Promise<string>((done, fail) => {
    const child = spawn(GNU_TIME, ['--format=%M', `--output=${report}`, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a time bound stops npm, tsx and their children too.
      detached: true,
    })
    const release = stopOnAbort(child, options.signal)
    const memory = watchGroupMemory(child, options.maxRssBytes)
    let text = ''
    const collect = (chunk: Buffer) => {
      // The end of the output, where a failed build says why (after any warnings).
      text = (text + chunk.toString()).slice(-20_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? new Error(
              `[measure] ${GNU_TIME}: not installed. Install the Debian package \`time\` (listed in .ci/apt-packages)`,
            )
          : error,
      ),
    )
    child.on('close', (code) => {
      release()
      memory.stop()
      if (memory.exceeded()) fail(new MemoryLimitExceeded(command, options.maxRssBytes ?? 0))
      else if (options.signal?.aborted) fail(options.signal.reason)
      else if (code === 0) done(text)
      else fail(new Error(`[measure] ${command} ${args.join(' ')} failed (${code}):\n${text}`))
    })
  })
  const wallMs = performance.now() - started
  const kib = Number((await readFile(report, 'utf8')).trim().split('\n').pop())
  await rm(report, { force: true })
  if (!Number.isFinite(kib)) throw new Error(`[measure] no memory figure from GNU time:\n${output}`)
  return { wallMs, peakRssBytes: kib * 1024 }
}
