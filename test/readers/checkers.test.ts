import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkHttp, runCheckers } from './checks/run-checkers.ts'
import { fetchFeeds } from './discover-feeds.ts'
import { type ExpectedFeed, type FeedFormat, formatFailures } from './report.ts'

/**
 * The suite's checkers, proven against feed documents written by hand: a
 * correct one passes every tool, and each deliberately broken one fails with a
 * line that names the feed URL, the tool and the problem. The documents are
 * served over HTTP on 127.0.0.1, as newsboat fetches what it subscribes to.
 */

const PORT = 8734
const ORIGIN = `http://127.0.0.1:${PORT}`
const ID = 'urn:uuid:6f2b1c8e-2f35-5d43-9a3e-0c8b2f1d7e41'
const LINK = `${ORIGIN}/articles/harbour/`
const TITLE = 'Harbour & <dock> "reopens"'
const PUBLISHED = Date.UTC(2024, 9, 22, 9, 30)
const CONTENT = '<p>Ships &amp; <a href="https://port.example/?a=1&amp;b=2">boats</a> are back.</p>'

const MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}

function expectedFeed(url: string, format: FeedFormat): ExpectedFeed {
  return {
    url,
    format,
    title: 'Example Times',
    items: [
      {
        id: ID,
        link: LINK,
        title: TITLE,
        published: PUBLISHED,
        updated: PUBLISHED,
        categories: ['Ships & Boats'],
        authors: [],
        contentHtml: CONTENT,
      },
    ],
  }
}

function rss(url: string, change: (xml: string) => string = (xml) => xml): string {
  return change(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Example Times</title>
<link>${ORIGIN}/</link>
<description>Stories</description>
<lastBuildDate>Tue, 22 Oct 2024 09:30:00 GMT</lastBuildDate>
<atom:link href="${url}" rel="self" type="application/rss+xml"/>
<item>
<title><![CDATA[${TITLE}]]></title>
<link>${LINK}</link>
<guid isPermaLink="false">${ID}</guid>
<pubDate>Tue, 22 Oct 2024 09:30:00 GMT</pubDate>
<description><![CDATA[Ships are back.]]></description>
<content:encoded><![CDATA[${CONTENT}]]></content:encoded>
<category>Ships &amp; Boats</category>
</item>
</channel>
</rss>
`)
}

function atom(url: string, change: (xml: string) => string = (xml) => xml): string {
  return change(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${ORIGIN}/</id>
<title>Example Times</title>
<updated>2024-10-22T09:30:00Z</updated>
<author><name>Desk</name></author>
<link rel="alternate" href="${ORIGIN}/"/>
<link rel="self" href="${url}"/>
<entry>
<title type="text"><![CDATA[Harbour & <dock> "reopens"]]></title>
<id>${ID}</id>
<link href="${LINK}"/>
<updated>2024-10-22T09:30:00Z</updated>
<published>2024-10-22T09:30:00Z</published>
<content type="html"><![CDATA[${CONTENT}]]></content>
<category term="Ships &amp; Boats" label="Ships &amp; Boats"/>
</entry>
</feed>
`)
}

function jsonFeed(url: string, change: (feed: Record<string, unknown>) => void = () => {}): string {
  const feed: Record<string, unknown> = {
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Example Times',
    home_page_url: `${ORIGIN}/`,
    feed_url: url,
    authors: [{ name: 'Desk' }],
    items: [
      {
        id: ID,
        url: LINK,
        title: TITLE,
        content_html: CONTENT,
        date_published: '2024-10-22T09:30:00Z',
        tags: ['Ships & Boats'],
      },
    ],
  }
  change(feed)
  return JSON.stringify(feed)
}

const documents = new Map<string, { type: string; body: string }>()
let server: Server
let workDir: string

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'readers-checkers-'))
  server = createServer((request, response) => {
    const document = documents.get(`${ORIGIN}${request.url}`)
    response.writeHead(document ? 200 : 404, {
      'Content-Type': `${document?.type ?? 'text/plain'}; charset=utf-8`,
    })
    response.end(document?.body ?? 'not found')
  })
  await new Promise<void>((listening) => server.listen(PORT, '127.0.0.1', listening))
})

afterAll(async () => {
  await new Promise((closed) => server.close(closed))
  await rm(workDir, { recursive: true, force: true })
})

let served = 0

/** Serves one document at a fresh URL and runs every checker over it, as the suite does. */
async function check(format: FeedFormat, write: (url: string) => string): Promise<string[]> {
  const file = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[format]
  const url = `${ORIGIN}/case-${++served}/${file}`
  documents.set(url, { type: MEDIA_TYPES[format], body: write(url) })
  const feeds = await fetchFeeds([{ url, format }])
  const expected = new Map([[url, expectedFeed(url, format)]])
  const results = [
    ...checkHttp(feeds),
    ...(await runCheckers(feeds, { expected, workDir: join(workDir, String(served)) })),
  ]
  return results.flatMap(formatFailures)
}

/** A line naming the feed, the tool and the problem. */
function failure(format: FeedFormat, tool: string, problem: string): RegExp {
  const file = { rss: 'rss\\.xml', atom: 'atom\\.xml', json: 'feed\\.json' }[format]
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  return new RegExp(
    `^\\[readers\\] ${escaped(ORIGIN)}/case-\\d+/${file}: ${escaped(tool)}: .*${problem}`,
  )
}

describe('correct feeds', () => {
  it('pass every tool in all three formats', async () => {
    expect(await check('rss', (url) => rss(url))).toEqual([])
    expect(await check('atom', (url) => atom(url))).toEqual([])
    expect(await check('json', (url) => jsonFeed(url))).toEqual([])
  })
})

describe('a broken RSS feed fails, naming the feed, the tool and the problem', () => {
  it('an item without a guid', async () => {
    const lines = await check('rss', (url) => rss(url, (xml) => xml.replace(/<guid.*<\/guid>/, '')))
    expect(lines).toContainEqual(
      expect.stringMatching(failure('rss', 'rss-2.0-rules', 'item 1: guid: missing')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('rss', 'feedparser', `entry 1: id: expected "${ID}"`)),
    )
  })

  it('a date that is not RFC 822', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) =>
        xml.replace('<pubDate>Tue, 22 Oct 2024 09:30:00 GMT', '<pubDate>2024-10-22 09:30'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'rss',
          'rss-2.0-rules',
          'item 1 pubDate: "2024-10-22 09:30" is not an RFC 822 date',
        ),
      ),
    )
  })

  it('a date that names the wrong weekday', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace('<pubDate>Tue,', '<pubDate>Wed,')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('rss', 'rss-2.0-rules', 'names the wrong day of the week')),
    )
  })

  it('a relative link inside the content', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace('href="https://port.example/?a=1&amp;b=2"', 'href="/port"')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'rss',
          'rss-2.0-rules',
          'item 1 content:encoded: relative URL "/port" in the content',
        ),
      ),
    )
  })

  it('a self link that is not the URL fetched', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace(`href="${url}"`, `href="${ORIGIN}/other.xml"`)),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('rss', 'rss-2.0-rules', 'self link: .* is not the URL fetched'),
      ),
    )
  })

  it('an unescaped ampersand, which is not well-formed XML', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace('<description>Stories', '<description>Stories & more')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('rss', 'xmllint', 'line 6: parser error')),
    )
    expect(lines).toContainEqual(expect.stringMatching(failure('rss', 'feedparser', 'bozo: ')))
  })

  it("a title that is not the article's", async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace(TITLE, 'Harbour reopens')),
    )
    for (const tool of [
      'feedparser',
      'newsboat',
      'feedsmith',
      '@rowanmanning/feed-parser',
      '@extractus/feed-extractor',
    ])
      expect(lines).toContainEqual(
        expect.stringMatching(failure('rss', tool, `item ${ID}: title: differs`)),
      )
  })

  it('a missing item', async () => {
    const lines = await check('rss', (url) =>
      rss(url, (xml) => xml.replace(/<item>[\s\S]*<\/item>/, '')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('rss', 'rss-2.0-rules', 'items: expected 1, the document holds 0'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('rss', 'newsboat', 'entries: expected 1, got 0')),
    )
  })

  it('a feed that answers 404', async () => {
    const url = `${ORIGIN}/nowhere/rss.xml`
    const feeds = await fetchFeeds([{ url, format: 'rss' }])
    const results = [
      ...checkHttp(feeds),
      ...(await runCheckers(feeds, {
        expected: new Map([[url, expectedFeed(url, 'rss')]]),
        workDir: join(workDir, '404'),
      })),
    ]
    const lines = results.flatMap(formatFailures)
    expect(lines).toContain(`[readers] ${url}: http: status: 404`)
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\[readers\\] ${url.replace(/[.]/g, '\\.')}: newsboat: reload: .*404`),
      ),
    )
  })
})

describe('a broken Atom feed fails, naming the feed, the tool and the problem', () => {
  it('an entry without updated', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) =>
        xml.replace('<updated>2024-10-22T09:30:00Z</updated>\n<published>', '<published>'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('atom', 'atom-1.0-rules', 'entry 1 updated: missing date')),
    )
  })

  it('a date that is not RFC 3339', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) =>
        xml.replace('<published>2024-10-22T09:30:00Z', '<published>Tue, 22 Oct 2024 09:30:00 GMT'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('atom', 'atom-1.0-rules', 'entry 1 published: .* is not an RFC 3339 date-time'),
      ),
    )
  })

  it('no author at feed or entry level', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) => xml.replace('<author><name>Desk</name></author>', '')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('atom', 'atom-1.0-rules', 'entry 1: author: none at entry or feed level'),
      ),
    )
  })

  it('two self links', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) => xml.replace('<entry>', `<link rel="self" href="${url}"/>\n<entry>`)),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('atom', 'atom-1.0-rules', 'self link: expected exactly one, found 2'),
      ),
    )
  })

  it('a relative image inside the content', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) => xml.replace('are back.', 'are back. <img src="boat.png">')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'atom',
          'atom-1.0-rules',
          'entry 1 content: relative URL "boat.png" in the content',
        ),
      ),
    )
  })

  it('a wrong category', async () => {
    const lines = await check('atom', (url) =>
      atom(url, (xml) => xml.replace('term="Ships &amp; Boats"', 'term="Ships"')),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'atom',
          'feedparser',
          'categories: expected \\["Ships & Boats"\\], got \\["Ships"\\]',
        ),
      ),
    )
  })
})

describe('a broken JSON Feed fails, naming the feed, the tool and the problem', () => {
  it('author instead of authors, an old version and a relative URL', async () => {
    const lines = await check('json', (url) =>
      jsonFeed(url, (feed) => {
        feed.version = 'https://jsonfeed.org/version/1'
        feed.author = { name: 'Desk' }
        feed.home_page_url = '/'
      }),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'json',
          'json-feed-1.1-rules',
          'version: expected "https://jsonfeed.org/version/1.1"',
        ),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'json-feed-1.1-rules', 'author: deprecated in JSON Feed 1.1'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'json-feed-1.1-rules', 'home_page_url: "/" is not an absolute URL'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'jsonfeed-schema+ajv', '/home_page_url: must match format "uri"'),
      ),
    )
  })

  it('two items with one id, and a broken date', async () => {
    const lines = await check('json', (url) =>
      jsonFeed(url, (feed) => {
        const [item] = feed.items as Record<string, unknown>[]
        feed.items = [item, { ...item, date_published: '2024-02-30T09:30:00Z' }]
      }),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'json-feed-1.1-rules', `items: id "${ID}" is used by more than one item`),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure(
          'json',
          'json-feed-1.1-rules',
          'items\\[1\\].date_published: "2024-02-30T09:30:00Z" is not a day of the calendar',
        ),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('json', 'feedsmith', 'entries: expected 1, got 2')),
    )
  })

  it('a feed_url that is not the URL fetched, and a next_url that does not resolve', async () => {
    const lines = await check('json', (url) =>
      jsonFeed(url, (feed) => {
        feed.feed_url = `${ORIGIN}/elsewhere.json`
        feed.next_url = `${ORIGIN}/missing-page.json`
      }),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'json-feed-1.1-rules', 'feed_url: .* is not the URL fetched'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(failure('json', 'json-feed-1.1-rules', 'next_url: .* answers 404')),
    )
  })

  it('a relative link in content_html and a wrong link', async () => {
    const lines = await check('json', (url) =>
      jsonFeed(url, (feed) => {
        const [item] = feed.items as Record<string, unknown>[]
        item!.content_html = '<p>See <a href="../more">more</a></p>'
        item!.url = `${ORIGIN}/articles/other/`
      }),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', 'json-feed-1.1-rules', 'items\\[0\\].content_html: relative URL "../more"'),
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        failure('json', '@extractus/feed-extractor', `item ${ID}: link: expected`),
      ),
    )
  })
})
