import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { SITE_ENV, testApp } from '../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../support/fixtures.ts'

const ORIGIN = 'https://news.example.com'

async function readOpml(app: ReturnType<typeof testApp>) {
  const response = await app.fetch('/feeds.opml')
  expect(response.headers.get('content-type')).toBe('text/x-opml; charset=utf-8')
  const xml = await response.text()
  expect(XMLValidator.validate(xml)).toBe(true)
  const opml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
  }).parse(xml).opml
  return { xml, opml, outlines: [opml.body.outline].flat() as Record<string, string>[] }
}

describe('the OPML subscription list', () => {
  it('lists the site feed and every published topic feed, one rss outline each', async () => {
    const { opml, outlines } = await readOpml(testApp(compileFixture(NEWSROOM), { now: NOW }))
    expect(opml.version).toBe('2.0')
    expect(opml.head.title).toBe('Example Times: all feeds')
    expect(opml.head.dateCreated).toBe('Fri, 01 Mar 2024 08:00:00 GMT')
    // Topics of drafts and future articles ("Future") are not published yet.
    expect(outlines).toEqual([
      expect.objectContaining({
        title: 'Example Times',
        xmlUrl: `${ORIGIN}/rss.xml`,
        htmlUrl: `${ORIGIN}/`,
      }),
      expect.objectContaining({
        title: 'Example Times: Economy',
        xmlUrl: `${ORIGIN}/topics/economy/rss.xml`,
        htmlUrl: `${ORIGIN}/topics/economy/`,
      }),
      expect.objectContaining({
        title: 'Example Times: Shipping',
        xmlUrl: `${ORIGIN}/topics/shipping/rss.xml`,
        htmlUrl: `${ORIGIN}/topics/shipping/`,
      }),
    ])
    for (const outline of outlines) {
      expect(outline.type).toBe('rss')
      expect(outline.text).toBe(outline.title)
    }
  })

  it('escapes hostile site and topic names, and is the same bytes every time', async () => {
    const content = compileFixture({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01', topics: ['Q&A <"quoted">'] }),
    })
    const app = testApp(
      content,
      { now: NOW },
      { ...SITE_ENV, SITE_TITLE: 'Tom & Jerry\'s "<News>"' },
    )
    const { xml, outlines } = await readOpml(app)
    expect(outlines.map((outline) => outline.title)).toEqual([
      'Tom & Jerry\'s "<News>"',
      'Tom & Jerry\'s "<News>": Q&A <"quoted">',
    ])
    expect((await readOpml(app)).xml).toBe(xml)
  })

  it('is linked from the home page', async () => {
    const html = await testApp(compileFixture(NEWSROOM), { now: NOW }).text('/')
    expect(html).toContain(
      `<a href="${ORIGIN}/feeds.opml" type="text/x-opml">subscription list (OPML)</a>`,
    )
  })
})
