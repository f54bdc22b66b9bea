import { afterEach, describe, expect, it } from 'vitest'
import { createScheduledHandler } from '../../src/publish/scheduled.ts'
import { prerenderFixture } from '../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../support/fixtures.ts'
import { type RecordingHub, startHub } from '../support/hub.ts'

/**
 * The Cron Trigger, run as Cloudflare runs it, against a real hub on
 * 127.0.0.1. Workers Cache cannot run here, so `ctx.cache.purge` is the one
 * test double: it records the tags it is asked to purge.
 */

const content = compileFixture({
  ...NEWSROOM,
  'later.md': markdownArticle({
    title: 'Later the same day',
    date: '2030-01-01T06:00:30Z',
    topics: ['Shipping'],
  }),
})
/** The due times the build knew, as the deployed worker has them. */
const { index } = prerenderFixture(content, NOW)
const DUE = Date.parse('2030-01-01T06:00:00Z')
const MINUTE = 60_000

let hub: RecordingHub | undefined
afterEach(async () => {
  await hub?.close()
  hub = undefined
})

function context() {
  const purged: string[][] = []
  const waited: Promise<unknown>[] = []
  return {
    purged,
    waited,
    ctx: {
      waitUntil: (promise: Promise<unknown>) => waited.push(promise),
      cache: { purge: async ({ tags }: { tags: string[] }) => purged.push(tags) },
    },
  }
}

function envFor(hubUrl: string) {
  return { SITE_URL: 'https://news.example.com', WEBSUB_HUB_URL: hubUrl }
}

const feeds = (...folders: string[]) =>
  folders
    .flatMap((folder) =>
      ['rss.xml', 'atom.xml', 'feed.json'].map(
        (file) => `https://news.example.com/${folder}${file}`,
      ),
    )
    .sort()

/** What every newly visible article changes: site and filtered feeds, lists, cached 404s. */
const EVERY_CHANGE = [
  'feed:site',
  'archive:site:newest',
  'feed:filtered',
  'archive:filtered:newest',
  'page:home',
  'page:topics',
  'page:not-found',
]

describe('the scheduled handler', () => {
  it('pings the hub once for each feed an article that became due appears in, every minute after', async () => {
    hub = await startHub()
    const scheduled = createScheduledHandler(index)
    const { ctx, purged } = context()
    // Every run of an every-minute cron over ten minutes around the due time.
    for (let time = DUE - 5 * MINUTE; time <= DUE + 5 * MINUTE; time += MINUTE) {
      await scheduled({ cron: '* * * * *', scheduledTime: time + 1234 }, envFor(hub.url), ctx)
    }
    const expected = [
      ...feeds('', 'topics/economy/', 'topics/future/'),
      ...feeds('', 'topics/shipping/'),
    ]
    expect(hub.pings.map((ping) => ping['hub.url'])).toEqual(expected)
    expect(hub.pings.every((ping) => ping['hub.mode'] === 'publish')).toBe(true)
    expect(new Set(hub.contentTypes)).toEqual(new Set(['application/x-www-form-urlencoded']))
    expect(purged).toEqual([
      [
        ...EVERY_CHANGE,
        'feed:topic:economy',
        'archive:topic:economy:newest',
        'page:topic:economy',
        'feed:topic:future',
        'archive:topic:future:newest',
        'page:topic:future',
      ],
      [
        ...EVERY_CHANGE,
        'feed:topic:shipping',
        'archive:topic:shipping:newest',
        'page:topic:shipping',
      ],
    ])
  })

  it('covers a longer period with one run for a */15 schedule, and does nothing for unsupported ones', async () => {
    hub = await startHub()
    const scheduled = createScheduledHandler(index)
    const { ctx } = context()
    await scheduled({ cron: '*/15 * * * *', scheduledTime: DUE }, envFor(hub.url), ctx)
    expect(hub.pings).toHaveLength(9)
    await scheduled(
      { cron: '*/15 * * * *', scheduledTime: DUE + 15 * MINUTE },
      envFor(hub.url),
      ctx,
    )
    expect(hub.pings).toHaveLength(15)
    await scheduled(
      { cron: '*/15 * * * *', scheduledTime: DUE + 30 * MINUTE },
      envFor(hub.url),
      ctx,
    )
    await scheduled({ cron: '0 6 * * *', scheduledTime: DUE }, envFor(hub.url), ctx)
    expect(hub.pings).toHaveLength(15)
  })

  it('still purges, and finishes in bounded time, when the hub does not answer', async () => {
    hub = await startHub({ delayMs: 60_000 })
    const { HUB_TIMEOUT_MS } = await import('../../src/publish/notify-hub.ts')
    const scheduled = createScheduledHandler(index)
    const { ctx, purged } = context()
    const started = Date.now()
    await expect(
      scheduled({ cron: '* * * * *', scheduledTime: DUE }, envFor(hub.url), ctx),
    ).resolves.toBeUndefined()
    expect(Date.now() - started).toBeLessThan(HUB_TIMEOUT_MS + 2_000)
    expect(purged).toHaveLength(1)
    expect(hub.pings).toHaveLength(9)
  }, 15_000)

  it('runs without Workers Cache and without a hub', async () => {
    const scheduled = createScheduledHandler(index)
    await expect(
      scheduled({ cron: '* * * * *', scheduledTime: DUE }, {}, { waitUntil: () => {} }),
    ).resolves.toBeUndefined()
  })
})
