import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** Running the project's command-line scripts as an author does, in a fresh Node process. */

const run = promisify(execFile)

/** The repository root; scripts run from there, as `npm run …` runs them. */
export const ROOT = new URL('../..', import.meta.url).pathname

const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname

export interface ScriptRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `scripts/<name>` with tsx. The environment is the test's, without
 * CONTENT_PREVIEW and CONTENT_SEEDS unless `env` sets them.
 */
export async function runScript(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await run(TSX, [`${ROOT}scripts/${name}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, CONTENT_PREVIEW: '', CONTENT_SEEDS: '', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string }
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr }
  }
}

/** Scripts start a fresh Node process each, several times per test; the machine may be busy. */
export const SLOW = { timeout: 60_000 }
