import { describe, expect, it } from 'vitest'
import type { CompiledArticle } from '../../src/contract/compiled.ts'
import { buildFeedModel } from '../../src/feeds/feed-model.ts'
import { renderFeed } from '../../src/feeds/render-feed.ts'
import { DEFAULT_SITE } from '../../src/site/site-config.ts'
import { readAtom, readJsonFeed, readRss } from '../support/readers.ts'

/** Each known hole of the `feed` package, closed by src/feeds/feed-package.ts, proven from the reader's side. */

const ORIGIN = 'https://feeds.example.net'

function article(overrides: Partial<CompiledArticle>): CompiledArticle {
  return {
    id: 'urn:uuid:00000000-0000-5000-8000-000000000001',
    slug: 'story',
    title: 'Story',
    summary: 'Summary',
    contentHtml: '<p>Body</p>',
    published: '2024-01-02T03:04:05.000Z',
    topics: [],
    authors: [],
    ...overrides,
  }
}

function render(articles: CompiledArticle[]) {
  const model = buildFeedModel(DEFAULT_SITE, ORIGIN, { scope: { kind: 'site' }, articles })
  return {
    rss: renderFeed(model, 'rss'),
    atom: renderFeed(model, 'atom'),
    json: renderFeed(model, 'json'),
  }
}

describe('holes of the feed package, closed', () => {
  it('writes image/jpeg, not image/jpg, for .jpg images in RSS, Atom and JSON attachments', () => {
    const { rss, atom, json } = render([
      article({ image: { url: `${ORIGIN}/a/photo.JPG`, type: 'image/jpeg' } }),
    ])
    expect(readRss(rss).items![0]!.enclosures).toEqual([
      { url: `${ORIGIN}/a/photo.JPG`, length: 0, type: 'image/jpeg' },
    ])
    expect(readAtom(atom).entries![0]!.links).toContainEqual({
      rel: 'enclosure',
      href: `${ORIGIN}/a/photo.JPG`,
      type: 'image/jpeg',
    })
    expect(atom).not.toContain('image/jpg')
    expect(readJsonFeed(json).raw).toMatchObject({
      items: [{ attachments: [{ url: `${ORIGIN}/a/photo.JPG`, mime_type: 'image/jpeg' }] }],
    })
  })

  it("puts an Atom entry's article link before its source link, for readers that take the first", () => {
    const { atom } = render([
      article({ sourceUrl: 'https://source.example/story?a=1&b=2' }),
      article({
        id: 'tag:example.com,2024:two',
        slug: 'two',
        sourceUrl: 'https://source.example/two',
      }),
    ])
    expect(readAtom(atom).entries!.map((entry) => entry.links)).toEqual([
      [
        { href: `${ORIGIN}/articles/story/` },
        { rel: 'related', href: 'https://source.example/story?a=1&b=2' },
      ],
      [{ href: `${ORIGIN}/articles/two/` }, { rel: 'related', href: 'https://source.example/two' }],
    ])
  })

  it('gives Atom categories the topic name as term and label, and its page as scheme', () => {
    const { atom } = render([article({ topics: [{ slug: 'north-korea', name: 'North Korea' }] })])
    expect(readAtom(atom).entries![0]!.categories).toEqual([
      { term: 'North Korea', label: 'North Korea', scheme: `${ORIGIN}/topics/north-korea/` },
    ])
  })

  it('declares Atom titles and summaries plain text, so no reader decodes them twice', () => {
    const title = 'Q&A: Why "<b>Bold</b>" & ]]> wins'
    const { atom } = render([article({ title, summary: 'Less < more & "quoted"' })])
    const entry = readAtom(atom).entries![0]!
    expect(entry.title).toEqual({ type: 'text', value: title })
    expect(entry.summary).toEqual({ type: 'text', value: 'Less < more & "quoted"' })
    expect(atom).not.toContain('&amp;amp;')
  })

  it('names every author of an RSS item in one dc:creator, which every parser keeps', () => {
    const { rss } = render([article({ authors: [{ name: 'Ana & Lima' }, { name: 'Bo Chen' }] })])
    expect(readRss(rss).items![0]!.dc?.creators).toEqual(['Ana & Lima, Bo Chen'])
  })

  it('names the site icons: RSS image with its size, Atom icon and logo, JSON Feed icon and favicon', () => {
    const { rss, atom, json } = render([article({})])
    expect(readRss(rss).image).toEqual({
      title: DEFAULT_SITE.title,
      url: `${ORIGIN}/icons/icon-144.png`,
      link: `${ORIGIN}/`,
      width: 144,
      height: 144,
    })
    const feed = readAtom(atom)
    expect(feed.icon).toBe(`${ORIGIN}/icons/icon-192.png`)
    expect(feed.logo).toBe(`${ORIGIN}/icons/logo.png`)
    expect(readJsonFeed(json).raw).toMatchObject({
      icon: `${ORIGIN}/icons/icon-512.png`,
      favicon: `${ORIGIN}/icons/icon-64.png`,
    })
  })

  it('takes updated and lastBuildDate from the newest item, never from the clock', () => {
    const { rss, atom } = render([
      article({
        id: 'urn:x:1',
        published: '2024-01-02T03:04:05.000Z',
        updated: '2024-02-03T04:05:06.000Z',
      }),
      article({ id: 'urn:x:2', slug: 'b', published: '2024-01-10T00:00:00.000Z' }),
    ])
    expect(readAtom(atom).updated).toBe('2024-02-03T04:05:06.000Z')
    expect(readRss(rss).lastBuildDate).toBe('Sat, 03 Feb 2024 04:05:06 GMT')
    const empty = render([])
    expect(readAtom(empty.atom).updated).toBe('1970-01-01T00:00:00.000Z')
  })

  it('removes control characters that XML forbids instead of passing them through', () => {
    const { rss, atom, json } = render([
      article({ title: 'Bell\u0007 and\u001B escape', summary: 'nul\u0000' }),
    ])
    expect(readRss(rss).items![0]!.title).toBe('Bell and escape')
    expect(readAtom(atom).entries![0]!.title?.value).toBe('Bell and escape')
    expect(readJsonFeed(json).feed.items![0]!.title).toBe('Bell and escape')
  })

  it('escapes < and & in attributes and keeps a literal &amp; in text', () => {
    const topics = [{ slug: 'tom-jerry', name: 'Tom &amp; Jerry <3' }]
    const { rss, atom } = render([article({ topics, authors: [{ name: 'A &amp; B' }] })])
    expect(readRss(rss).items![0]!.categories).toEqual([
      { name: 'Tom &amp; Jerry <3', domain: `${ORIGIN}/topics/tom-jerry/` },
    ])
    expect(readRss(rss).items![0]!.dc?.creators).toEqual(['A &amp; B'])
    expect(readAtom(atom).entries![0]!.categories![0]!.label).toBe('Tom &amp; Jerry <3')
  })

  it('splits every ]]> of a CDATA section, not only the first', () => {
    const { rss } = render([article({ title: 'a]]>b]]>c]]>', contentHtml: '<p>x</p>]]>]]>' })])
    const item = readRss(rss).items![0]!
    expect(item.title).toBe('a]]>b]]>c]]>')
    expect(item.content?.encoded).toBe('<p>x</p>]]>]]>')
  })

  it('writes JSON Feed 1.1, not 1.0', () => {
    const { json } = render([article({ authors: [{ name: 'Ann', url: 'https://ann.example/' }] })])
    const { raw } = readJsonFeed(json)
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1')
    expect(raw.language).toBe('en')
    expect(raw.authors).toEqual([{ name: 'Edge Feed Publisher', url: `${ORIGIN}/` }])
    expect(raw).toMatchObject({
      items: [{ authors: [{ name: 'Ann', url: 'https://ann.example/' }] }],
    })
    expect(json).not.toContain('"author"')
  })

  it('only ever hands absolute URLs to the package, which throws on relative ones', () => {
    const { rss, atom, json } = render([
      article({ contentHtml: '<p><a href="https://origin.invalid/x">x</a></p>' }),
    ])
    for (const document of [rss, atom, json]) {
      expect(document).not.toContain('origin.invalid')
      for (const match of document.matchAll(/(?:href|src|url)="([^"]*)"/g)) {
        expect(match[1]).toMatch(/^https?:\/\//)
      }
    }
  })
})
