/**
 * `npm run notify`: after `npm run deploy`, tells the WebSub hub about
 * exactly the feeds the deploy changed (site, each topic touched, every
 * format). It compares the compiled content (generated/content.js, what was
 * just deployed) with the record of the last notified deploy
 * (seeds/websub-notified.json, committed with the content), and updates the
 * record only when the hub took every ping, so running it twice never pings
 * twice, and a hub that was down is pinged again next time. A hub that is
 * down or slow does not fail the command: it prints what failed.
 */
import { createHash } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { CompiledContent } from '../src/contract/compiled.ts'
import { affectedFeedUrls } from '../src/publish/affected-feeds.ts'
import { changesAt, type NotifyRecord } from '../src/publish/deploy-changes.ts'
import { HUB_TIMEOUT_MS, notifyHub } from '../src/publish/notify-hub.ts'
import { readSiteConfig } from '../src/site/site-config.ts'

const seeds = process.env.CONTENT_SEEDS || 'seeds'
const { values } = parseArgs({
  options: {
    content: { type: 'string', default: 'generated/content.js' },
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
  const module = (await import(pathToFileURL(resolve(values.content)).href)) as {
    default: CompiledContent
  }
  const current = recordOf(module.default)
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
  const temporary = `${values.record}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(current, null, 2)}\n`)
  await rename(temporary, values.record)
  console.log(`[notify] ${site.hubUrl}: ${urls.length} feeds changed, notified`)
  return 0
}

process.exitCode = await main()
