import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../../src/worker/http/app.ts'
import { warmUp, warmUpPaths } from '../../../src/worker/http/warm-up.ts'
import { prerenderFixture, SITE_ENV } from '../../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../../support/fixtures.ts'

afterEach(() => vi.restoreAllMocks())

describe('the warm-up a fresh isolate runs in its global scope', () => {
  it('is answered from the index alone: every request a 304, no asset read, nothing logged', async () => {
    const fixture = prerenderFixture(compileFixture(NEWSROOM), NOW)
    const read: string[] = []
    const app = createApp({
      index: fixture.index,
      now: () => NOW,
      assets: (path) => {
        read.push(path)
        return fixture.assets(path)
      },
    })
    const errors = vi.spyOn(console, 'error')
    const warnings = vi.spyOn(console, 'warn')
    const paths = warmUpPaths(fixture.index, NOW)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/topics/economy/rss.xml',
        '/topics/economy/',
        '/rss.xml?topics=economy,shipping',
      ]),
    )
    const responses = await warmUp(app.fetch, paths)
    expect(responses.map((response) => response.status)).toEqual(paths.map(() => 304))
    expect(read).toEqual([])
    expect(errors).not.toHaveBeenCalled()
    expect(warnings).not.toHaveBeenCalled()
  })

  it('reads the states of the topics it warms only, however many topics the site has', () => {
    // The worker parses a topic's states when first read (site-index-module.ts): reading every
    // topic's at startup would parse the whole topic index there.
    const topics = ['Arts', 'Books', 'Crime', 'Diplomacy', 'Energy']
    const files = Object.fromEntries(
      topics.map((topic, n) => [
        `story-${n}.md`,
        markdownArticle({ title: `Story ${n}`, date: `2024-01-0${n + 1}`, topics: [topic] }),
      ]),
    )
    const { index } = prerenderFixture(compileFixture(files), NOW)
    const read: string[] = []
    const counted = {
      ...index,
      topics: index.topics.map((topic) => ({
        ...topic,
        get states() {
          read.push(topic.slug)
          return topic.states
        },
      })),
    }
    const paths = warmUpPaths(counted, NOW)
    expect(read).toEqual(['arts', 'books'])
    expect(paths).toEqual(expect.arrayContaining(['/topics/arts/', '/rss.xml?topics=arts,books']))
  })

  it('leaves nothing behind that a client could be answered with', async () => {
    // Without SITE_URL the origin comes from each request: the warm-up's must not stick.
    const fixture = prerenderFixture(compileFixture(NEWSROOM), NOW, {
      ...SITE_ENV,
      SITE_URL: '',
    })
    const app = createApp({ index: fixture.index, now: () => NOW, assets: fixture.assets })
    await warmUp(app.fetch, warmUpPaths(fixture.index, NOW))
    const response = await app.fetch(new Request('https://news.example.com/rss.xml'), {})
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).toContain('https://news.example.com/')
    expect(text).not.toContain('warm-up.invalid')
  })

  it('never throws at startup, even when a request throws at once', async () => {
    const warming = warmUp(() => {
      throw new Error('Disallowed operation called within global scope')
    }, ['/rss.xml'])
    await expect(warming).rejects.toThrow('Disallowed operation')
  })
})
