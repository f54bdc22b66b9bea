import { createExecutionContext, createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../../src/index.ts'
import { createScheduledHandler } from '../../../src/publish/scheduled.ts'
import { prerenderFixture } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'

/**
 * The deployed worker's Cron Trigger, run inside workerd. Workers Cache does
 * not exist here, so `ctx.cache.purge` is the one test double; the hub is
 * tested against a real local server in test/publish/scheduled.test.ts.
 */
const content = compileFixture(NEWSROOM)
const { index } = prerenderFixture(content, NOW)

describe('the worker’s scheduled handler', () => {
  it('purges the tags of the article that became due in its minute, and nothing in the next', async () => {
    // The future-dated article: the build knows its due time.
    const article = content.articles[0]!
    const due = Date.parse(article.published)
    const scheduled = createScheduledHandler(index)
    const purged: string[][] = []
    const ctx = createExecutionContext()
    Object.defineProperty(ctx, 'cache', {
      value: { purge: async ({ tags }: { tags: string[] }) => purged.push(tags) },
    })
    const env = { SITE_URL: 'https://news.example.com' }
    for (const scheduledTime of [due, due + 60_000]) {
      await scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env, ctx)
    }
    expect(purged).toHaveLength(1)
    expect(purged[0]).toEqual(expect.arrayContaining(['feed:site', 'page:home', 'page:not-found']))
    for (const topic of article.topics) {
      expect(purged[0]).toContain(`feed:topic:${encodeURIComponent(topic.slug)}`)
    }
  })

  it('runs without Workers Cache', async () => {
    const due = index.due[0]!.at
    await expect(
      worker.scheduled!(
        createScheduledController({ scheduledTime: due, cron: '* * * * *' }),
        {},
        createExecutionContext(),
      ),
    ).resolves.toBeUndefined()
  })
})
