import type { SiteIndex } from '../contract/site-index.ts'
import { readSiteConfig, type SiteEnv } from '../site/site-config.ts'
import { tagsForNewArticles } from '../worker/http/cache-tags.ts'
import { affectedFeedUrls } from './affected-feeds.ts'
import { cronWindow } from './cron-window.ts'
import { notifyHub } from './notify-hub.ts'

/**
 * The Cron Trigger (`[triggers] crons` in wrangler.toml): when future-dated
 * articles become due, purge exactly the cached responses that now show
 * them, and tell the WebSub hub about exactly the feeds they appear in.
 */

/** The parts of a Cron Trigger's controller this handler reads. */
export interface CronEvent {
  cron: string
  scheduledTime: number
}

/** The parts of the execution context this handler uses; `cache` exists when Workers Cache is on. */
export interface CronContext {
  waitUntil(promise: Promise<unknown>): void
  cache?: { purge(options: { tags: string[] }): Promise<unknown> }
}

/** Tags per purge call, kept within the purge API's limit per request. */
const TAGS_PER_PURGE = 30

/** Builds the scheduled handler over the due times of one prerendered site. */
export function createScheduledHandler(index: Pick<SiteIndex, 'due'>) {
  return async (event: CronEvent, env: SiteEnv, ctx: CronContext): Promise<void> => {
    const window = cronWindow(event.cron, event.scheduledTime)
    if (!window) {
      console.error(
        `[cron] "${event.cron}": unsupported schedule. Use "* * * * *" or "*/N * * * *" (N divides 60) in [triggers] crons of wrangler.toml`,
      )
      return
    }
    const due = index.due.filter((entry) => entry.at > window.from && entry.at <= window.to)
    if (due.length === 0) return
    const topics = [...new Set(due.flatMap((entry) => entry.topics))]
    const work: Promise<unknown>[] = []
    const tags = tagsForNewArticles(topics)
    if (ctx.cache) {
      for (let i = 0; i < tags.length; i += TAGS_PER_PURGE) {
        const batch = tags.slice(i, i + TAGS_PER_PURGE)
        work.push(
          ctx.cache
            .purge({ tags: batch })
            .catch((error: unknown) => console.error('[cron] cache purge failed', batch, error)),
        )
      }
    }
    const site = readSiteConfig(env)
    if (site.hubUrl && site.baseUrl) {
      work.push(notifyHub(site.hubUrl, affectedFeedUrls(site.baseUrl, topics)))
    } else if (site.hubUrl) {
      console.error(
        '[cron] WEBSUB_HUB_URL is set but SITE_URL is not: feed URLs are unknown, the hub was not notified',
      )
    }
    const all = Promise.all(work)
    ctx.waitUntil(all)
    await all
  }
}
