import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { startWranglerDev } from '../support/wrangler-dev.ts'
import { writeFixtureCorpus } from './fixture-corpus.ts'

/**
 * Starts the real worker under `wrangler dev` over the fixture corpus, on
 * 127.0.0.1 only, and stops it after the suite. E2E_PORT picks the port
 * (default 8750); the inspector uses the next one. SITE_URL is set to that
 * origin, as a deployment sets it, so that the article pages built as static
 * assets carry absolute canonical and Open Graph URLs. `wrangler dev`
 * compiles the corpus into generated/, so the seeds are compiled again on the
 * way out and the working tree is left as it was.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

const run = promisify(execFile)

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.E2E_PORT ?? 8750)
  const corpus = await writeFixtureCorpus('test/fixtures/site')
  async function cleanUp(): Promise<void> {
    await rm(corpus, { recursive: true, force: true })
    await run('npm', ['run', 'build:content', '--', '--quiet'])
  }
  const worker = await startWranglerDev({
    seeds: corpus,
    port,
    vars: { SITE_URL: `http://127.0.0.1:${port}` },
    scope: 'e2e',
  }).catch(async (error: unknown) => {
    await cleanUp()
    throw error
  })
  project.provide('baseUrl', worker.origin)
  return async () => {
    await worker.stop()
    await cleanUp()
  }
}
