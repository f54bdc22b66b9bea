import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckResult, ExpectedFeed, FetchedFeed } from '../report.ts'

/** What every checker gets besides the feeds: the expectations and a scratch folder. */
export interface CheckContext {
  /** Expected feeds by URL. */
  expected: ReadonlyMap<string, ExpectedFeed>
  /** A folder the checker may write into; removed after the run. */
  workDir: string
}

/** A checker runs one tool (or one set of rules) over every feed it applies to. */
export type Checker = (
  feeds: readonly FetchedFeed[],
  context: CheckContext,
) => Promise<CheckResult[]>

/** The expected feed, or a result that says there is none (a feed nobody asked for). */
export function expectedFor(
  feed: FetchedFeed,
  context: CheckContext,
): ExpectedFeed | { missing: string } {
  return (
    context.expected.get(feed.url) ?? {
      missing: 'the content has no such feed (no topic or scope it belongs to)',
    }
  )
}

/** Writes each feed's bytes to a file of its own and returns the paths, in order. */
export async function writeFeedFiles(
  folder: string,
  feeds: readonly FetchedFeed[],
): Promise<string[]> {
  await mkdir(folder, { recursive: true })
  return Promise.all(
    feeds.map(async (feed, index) => {
      const path = join(folder, `${index}.${feed.format === 'json' ? 'json' : 'xml'}`)
      await writeFile(path, feed.bytes)
      return path
    }),
  )
}

export interface ProcessOutput {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a program to completion, feeding it `input`; a missing program is a clear error. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error) =>
      reject(
        new Error(
          `[readers] ${command}: ${error.message}. Install it (see "Reader conformance" in README.md)`,
        ),
      ),
    )
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    )
    if (child.stdin) {
      // A program may exit before reading all of its input; its output tells what went wrong.
      child.stdin.on('error', () => {})
      child.stdin.end(options.input)
    }
  })
}
