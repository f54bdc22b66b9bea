import { describe, expect, it } from 'vitest'
import type { SiteIndex } from '../../src/contract/site-index.ts'
import { openSiteIndex, splitSiteIndex } from '../../src/contract/site-index-module.ts'
import { prerenderFixture, SITE_ENV } from '../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../support/fixtures.ts'

/** NEWSROOM, plus a topic whose name and slug are not ASCII. */
const content = compileFixture({
  ...NEWSROOM,
  'cafe.md': markdownArticle(
    { title: 'Café prices', date: '2024-02-01', topics: ['Cafés & Bäckereien', 'Économie'] },
    'Prices “rose”.',
  ),
})
const { index } = prerenderFixture(content, NOW)
// 230 more articles in one topic and one item per feed: closed and open archive pages, older
// topic pages and an open one.
const many = Object.fromEntries(
  Array.from({ length: 230 }, (_, n) => [
    `day-${n}.md`,
    markdownArticle({
      title: `Day ${n}`,
      date: new Date(Date.UTC(2023, 0, 1 + n)).toISOString(),
      topics: ['Economy'],
    }),
  ]),
)
const { index: archived } = prerenderFixture(compileFixture({ ...NEWSROOM, ...many }), NOW, {
  ...SITE_ENV,
  FEED_ITEM_LIMIT: '1',
})

/** What a topic says, read through its getters. */
const detailsOf = (topics: SiteIndex['topics']) =>
  topics.map(({ slug, name, states, pages }) => ({ slug, name, states, pages }))

describe('the site index as the bundle carries it', () => {
  it('opens into the index the build made, every topic’s states and pages included', () => {
    for (const built of [index, archived]) {
      const { module, topics } = splitSiteIndex(built)
      const opened = openSiteIndex(module, topics)
      expect(detailsOf(opened.topics)).toStrictEqual(detailsOf(built.topics))
      expect({ ...opened, topics: [] }).toStrictEqual({ ...built, topics: [] })
    }
    // What the fixtures hold, so that every part of the compact form is exercised.
    const states = archived.topics.flatMap((topic) => topic.states.map((state) => state.value))
    expect(states).toContain(null)
    expect(states.some((state) => state?.openArchive && state.archivePages > 1)).toBe(true)
    expect(states.some((state) => state?.items.some((item) => item.updated))).toBe(true)
    expect(archived.topics.some((topic) => topic.pages.some((page) => page.value.open))).toBe(true)
    // And from the ArrayBuffer a Data module is.
    const { module, topics } = splitSiteIndex(index)
    const buffer = new Uint8Array(topics).buffer
    expect(openSiteIndex(module, buffer).topics.map((topic) => topic.states)).toEqual(
      index.topics.map((topic) => topic.states),
    )
  })

  it('keeps the topics’ states and pages out of the JavaScript module', () => {
    const { module } = splitSiteIndex(index)
    expect(index.topics.length).toBeGreaterThan(2)
    for (const topic of module.topics) {
      expect(Object.keys(topic).sort()).toEqual(['details', 'name', 'slug'])
    }
    // Item ids lose the prefix they share, and are whole again once opened.
    expect(module.idPrefix).toBe('urn:uuid:')
    const text = new TextDecoder().decode(splitSiteIndex(index).topics)
    expect(text).not.toContain('urn:uuid:')
    expect(text).not.toContain('/_docs/')
  })

  it('parses a topic only when it is read, and each once', () => {
    const { module, topics } = splitSiteIndex(index)
    // Damage the second topic's text: the others still open and serve.
    const [start] = module.topics[1]!.details
    const damaged = topics.slice()
    damaged[start] = '#'.charCodeAt(0)
    const opened = openSiteIndex(module, damaged)
    expect(opened.topics[0]!.states).toEqual(index.topics[0]!.states)
    expect(opened.topics[2]!.pages).toEqual(index.topics[2]!.pages)
    expect(opened.topics[1]!.slug).toBe(index.topics[1]!.slug)
    expect(() => opened.topics[1]!.states).toThrow(SyntaxError)
    // Parsed once: the same objects on every read.
    expect(opened.topics[0]!.states).toBe(opened.topics[0]!.states)
  })

  it('refuses two modules from different builds', () => {
    const { module, topics } = splitSiteIndex(index)
    expect(() => openSiteIndex(module, topics.subarray(1))).toThrow(
      /come from different builds\. Rebuild with npm run build:content/,
    )
  })
})
