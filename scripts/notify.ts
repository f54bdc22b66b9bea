/**
 * `npm run notify`: after `npm run deploy`, tells the WebSub hub about
 * exactly the feeds the deploy changed (site, each topic touched, every
 * format). It compiles the seeds folder (what was just deployed; from the
 * build cache, so it costs what a warm build's compile does — the worker's
 * site index holds only the newest items, not the catalogue it needs) and
 * compares the articles with the record of the last notified deploy
 * (seeds/websub-notified.json, committed with the content), and updates the
 * record only when the hub took every ping, so running it twice never pings
 * twice, and a hub that was down is pinged again next time. A hub that is
 * down or slow does not fail the command: it prints what failed.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileAtomically } from '../src/build/atomic-file.ts'
import type { CompiledContent } from '../src/contract/compiled.ts'
import { formatProblem } from '../src/contract/problem.ts'
import { affectedFeedUrls } from '../src/publish/affected-feeds.ts'
import { changesAt, type NotifyRecord } from '../src/publish/deploy-changes.ts'
import { HUB_TIMEOUT_MS, notifyHub } from '../src/publish/notify-hub.ts'
import { readSiteConfig } from '../src/site/site-config.ts'
import { checkSeeds } from './seeds-folder.ts'

const seeds = process.env.CONTENT_SEEDS || 'seeds'
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: seeds },
    // The build cache, as in build-content.ts; CONTENT_CACHE= (empty) turns it off.
    cache: { type: 'string', default: process.env.CONTENT_CACHE ?? '.cache' },
    record: { type: 'string', default: join(seeds, 'websub-notified.json') },
    config: { type: 'string', default: 'wrangler.toml' },
    now: { type: 'string' },
    'timeout-ms': { type: 'string', default: String(HUB_TIMEOUT_MS) },
  },
})

/** A `[vars]` value: the environment wins over wrangler.toml, as in `wrangler deploy --var`. */
async function readVar(name: string): Promise<string | undefined> {
  if (process.env[name] !== undefined) return process.env[name]
  const toml = await readFile(values.config, 'utf8').catch(() => '')
  return new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, 'm').exec(toml)?.[1]
}

function recordOf(content: CompiledContent): NotifyRecord {
  const record: NotifyRecord = {}
  for (const article of content.articles) {
    record[article.id] = {
      digest: createHash('sha256').update(JSON.stringify(article)).digest('base64url'),
      published: article.published,
      topics: article.topics.map((topic) => topic.slug),
    }
  }
  return record
}

async function main(): Promise<number> {
  const site = readSiteConfig({
    SITE_URL: await readVar('SITE_URL'),
    WEBSUB_HUB_URL: await readVar('WEBSUB_HUB_URL'),
  })
  if (!site.hubUrl) {
    console.log('[notify] WEBSUB_HUB_URL is not set: no hub to notify')
    return 0
  }
  if (!site.baseUrl) {
    console.error(
      '[notify] SITE_URL is not set: feed URLs are unknown. Set it in [vars] of wrangler.toml',
    )
    return 1
  }
  const { result, errors } = await checkSeeds(resolve(values.seeds), values.seeds, {
    ...(values.cache ? { cache: resolve(values.cache) } : {}),
  })
  if (errors.length > 0 || !result.ok) {
    for (const problem of errors) console.error(formatProblem(problem))
    console.error(
      `[notify] ${values.seeds} does not build, so it is not what was deployed: fix it, deploy, then notify`,
    )
    return 1
  }
  const current = recordOf(result.content)
  const previous = JSON.parse(
    await readFile(values.record, 'utf8').catch(() => '{}'),
  ) as NotifyRecord
  const now = values.now ? Date.parse(values.now) : Date.now()
  const { changed, topics } = changesAt(previous, current, now)
  if (!changed) {
    console.log('[notify] nothing changed since the last notified deploy')
    return 0
  }
  const urls = affectedFeedUrls(site.baseUrl, topics)
  const results = await notifyHub(site.hubUrl, urls, {
    timeoutMs: Number(values['timeout-ms']),
    log: (message) => console.warn(message),
  })
  const failed = results.filter((result) => !result.ok).length
  if (failed > 0) {
    console.warn(
      `[notify] ${failed} of ${urls.length} pings failed; ${values.record} was left as it was, so the next run tries again`,
    )
    return 0
  }
  await writeFileAtomically(values.record, `${JSON.stringify(current, null, 2)}\n`)
  console.log(`[notify] ${site.hubUrl}: ${urls.length} feeds changed, notified`)
  return 0
}

process.exitCode = await main()
