import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, SLOW } from '../support/scripts.ts'

/**
 * Preview never weakens deploys: `npm run deploy` stops on an article error
 * even in a shell where CONTENT_PREVIEW is set, because the deploy script
 * clears it. Runs the real wrangler (`--dry-run`: nothing leaves the machine)
 * over a broken corpus; the failed build writes nothing.
 */

const run = promisify(execFile)
let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deploy-'))
  await mkdir(join(folder, 'seeds'))
  await writeFile(join(folder, 'seeds', 'a.md'), '---\ntitle: A\ndate: 2024-02-30\n---\nBody\n')
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('npm run deploy', SLOW, () => {
  it('fails before anything is bundled, even with CONTENT_PREVIEW=1 in the environment', async () => {
    const outdir = join(folder, 'dist')
    const failure = await run('npm', ['run', 'deploy', '--', '--dry-run', '--outdir', outdir], {
      cwd: ROOT,
      env: { ...process.env, CONTENT_PREVIEW: '1', CONTENT_SEEDS: join(folder, 'seeds') },
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    )
    expect(failure?.code).not.toBe(0)
    expect(`${failure?.stdout}${failure?.stderr}`).toContain(
      'a.md:3: date: "2024-02-30" is not a day of the calendar.',
    )
    expect(`${failure?.stdout}${failure?.stderr}`).toContain('[content] build failed: 1 error;')
    expect(await readdir(folder)).not.toContain('dist')
  })
})
