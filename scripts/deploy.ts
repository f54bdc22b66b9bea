/**
 * `npm run deploy [-- <wrangler deploy options>]`: publishes the site with
 * `wrangler deploy` (which compiles the articles first, see [build] in
 * wrangler.toml), then records what readers can now see in the
 * published-article lock, seeds/published.lock.json; commit it with the
 * content. `--dry-run` deploys nothing, so it records nothing.
 *
 * CONTENT_PREVIEW is cleared: a broken article always stops a deploy, even in
 * a shell where `npm run dev`'s setting lingers.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { LOCK_FILE } from '../src/build/content/published-lock.ts'
import { recordDeployedLock } from './lib/deployed-lock.ts'

/** Where the content build writes (its default --out folder). */
const GENERATED = resolve('generated')
/** The lock of the seeds folder the build read (its default --seeds, as in scripts/build-content.ts). */
const LOCK = resolve(process.env.CONTENT_SEEDS || 'seeds', LOCK_FILE)

function main(): Promise<number> | number {
  const args = process.argv.slice(2)
  const deploy = spawnSync('npx', ['wrangler', 'deploy', ...args], {
    stdio: 'inherit',
    env: { ...process.env, CONTENT_PREVIEW: '' },
  })
  if (deploy.status !== 0) return deploy.status ?? 1
  if (args.includes('--dry-run')) {
    console.log(
      '[deploy] dry run: nothing was published, so the published-article lock is unchanged',
    )
    return 0
  }
  return recordDeployedLock(GENERATED, LOCK).then((result) => {
    if (!result.recorded) {
      console.error(`[deploy] ${result.problem}`)
      return 1
    }
    console.log(
      result.changed
        ? `[deploy] ${result.lock}: recorded the ${result.published} published articles; commit it with the content`
        : `[deploy] ${result.lock}: already up to date (${result.published} published articles)`,
    )
    return 0
  })
}

process.exitCode = await main()
