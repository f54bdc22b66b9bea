import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { writeFixtureCorpus } from './fixture-corpus.ts'

/**
 * Starts the real worker under `wrangler dev` (workerd, the Workers runtime)
 * over the fixture corpus, on 127.0.0.1 only, and stops it after the suite.
 * E2E_PORT picks the port (default 8750); the inspector uses the next one.
 * SITE_URL is set to that origin, as a deployment sets it, so that the
 * article pages built as static assets carry absolute canonical and Open
 * Graph URLs. `wrangler dev` compiles the corpus into generated/, so the
 * seeds are compiled again on the way out and the working tree is left as it was.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

const run = promisify(execFile)
const STARTUP_MS = 120_000

async function waitUntilServing(url: string, worker: ChildProcess, log: () => string) {
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`[e2e] wrangler dev exited early:\n${log()}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(
    `[e2e] wrangler dev did not answer ${url} within ${STARTUP_MS / 1000} s:\n${log()}`,
  )
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.E2E_PORT ?? 8750)
  const baseUrl = `http://127.0.0.1:${port}`
  const corpus = await writeFixtureCorpus('seeds')
  let output = ''
  const worker = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(port + 1),
      '--inspector-ip',
      '127.0.0.1',
      '--show-interactive-dev-session=false',
      '--var',
      `SITE_URL:${baseUrl}`,
    ],
    {
      env: {
        ...process.env,
        CONTENT_SEEDS: corpus,
        SITE_URL: baseUrl,
        WRANGLER_SEND_METRICS: 'false',
        CI: '1',
      },
      // Its own process group, so stopping it stops workerd too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  worker.stdout?.on('data', (chunk) => {
    output += chunk
  })
  worker.stderr?.on('data', (chunk) => {
    output += chunk
  })

  async function stop(): Promise<void> {
    if (worker.exitCode === null && worker.pid !== undefined) {
      const exited = new Promise((resolve) => worker.once('exit', resolve))
      process.kill(-worker.pid, 'SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      if (worker.exitCode === null) process.kill(-worker.pid, 'SIGKILL')
    }
    await rm(corpus, { recursive: true, force: true })
    await run('npm', ['run', 'build:content', '--', '--quiet'])
  }

  try {
    await waitUntilServing(`${baseUrl}/`, worker, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  project.provide('baseUrl', baseUrl)
  return stop
}
