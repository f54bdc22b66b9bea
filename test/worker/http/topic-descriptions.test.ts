import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, markdownArticle, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

/** The taxonomy's descriptions, as feed readers and visitors see them. */

const content = compileFixture({
  'topics.yaml': `shipping:
  name: Shipping
  description: Ports, ships & the sea lanes <between> them.
  keywords: [harbour]
`,
  'harbour.md': markdownArticle(
    { title: 'Harbour reopens', date: '2024-03-01', summary: 'Open.' },
    'The harbour is open.',
  ),
  'budget.md': markdownArticle(
    { title: 'Budget passes', date: '2024-02-01', summary: 'Passed.', topics: ['Economy'] },
    'The budget passed.',
  ),
})
const app = testApp(content, { now: NOW })
const DESCRIPTION = 'Ports, ships & the sea lanes <between> them.'

describe('a topic the taxonomy describes', () => {
  it('has its description in every feed of the topic', async () => {
    expect(readRss(await app.text('/topics/shipping/rss.xml')).description).toBe(DESCRIPTION)
    expect(readAtom(await app.text('/topics/shipping/atom.xml')).subtitle?.value).toBe(DESCRIPTION)
    expect(readJsonFeed(await app.text('/topics/shipping/feed.json')).feed.description).toBe(
      DESCRIPTION,
    )
  })

  it('has its description on its page, escaped', async () => {
    const page = await app.text('/topics/shipping/')
    expect(page).toContain(
      '<p class="lede">Ports, ships &amp; the sea lanes &lt;between&gt; them.</p>',
    )
    expect(page).toContain(
      '<meta name="description" content="Ports, ships &amp; the sea lanes &lt;between&gt; them.">',
    )
  })

  it('holds the article filed under it by keyword', async () => {
    const feed = readRss(await app.text('/topics/shipping/rss.xml'))
    expect(feed.items?.map((item) => item.title)).toEqual(['Harbour reopens'])
  })
})

describe('a topic the taxonomy lacks', () => {
  it('keeps the generic description', async () => {
    expect(readRss(await app.text('/topics/economy/rss.xml')).description).toBe(
      'Articles about Economy from Example Times.',
    )
  })
})
