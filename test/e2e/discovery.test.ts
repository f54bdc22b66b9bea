import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrl } from './browser.ts'

/**
 * What readers and crawlers discover: the OPML list imported by a real reader
 * (newsboat), the sitemap validated against the protocol's schema (xmllint),
 * and robots.txt.
 */

const run = promisify(execFile)
let folder: string
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'efp-e2e-discovery-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function fetchText(path: string): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${baseUrl()}${path}`)
  expect(response.status, path).toBe(200)
  return { response, text: await response.text() }
}

/** The sitemap's parts, as its index (/sitemap.xml) lists them, each with its text. */
async function sitemapParts(): Promise<{ url: string; text: string }[]> {
  const { text } = await fetchText('/sitemap.xml')
  const urls = [...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!)
  return Promise.all(
    urls.map(async (url) => ({ url, text: (await fetchText(new URL(url).pathname)).text })),
  )
}

/** Topic pages, as the sitemap lists them. */
async function topicPages(): Promise<string[]> {
  const text = (await sitemapParts()).map((part) => part.text).join('\n')
  return [...text.matchAll(/<loc>([^<]+\/topics\/[^<]+\/)<\/loc>/g)].map((match) => match[1]!)
}

describe('OPML', () => {
  it('imports into newsboat with the site feed and every topic feed subscribed, and they load', async () => {
    const { response, text } = await fetchText('/feeds.opml')
    expect(response.headers.get('content-type')).toBe('text/x-opml; charset=utf-8')
    const opml = join(folder, 'feeds.opml')
    await writeFile(opml, text)
    // A throw-away home: newsboat must not read or write the machine's own configuration.
    const home = join(folder, 'home')
    const files = [
      '-u',
      join(folder, 'urls'),
      '-c',
      join(folder, 'cache.db'),
      '-C',
      join(folder, 'config'),
    ]
    await writeFile(join(folder, 'config'), '')
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home }
    await run('newsboat', ['-i', opml, ...files], { env })

    const subscribed = (await readFile(join(folder, 'urls'), 'utf8'))
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0])
      .filter((url): url is string => Boolean(url))
    const topics = await topicPages()
    expect(topics.length).toBeGreaterThan(5)
    expect(subscribed.sort()).toEqual(
      [`${baseUrl()}/rss.xml`, ...topics.map((topic) => `${topic}rss.xml`)].sort(),
    )

    // Every subscribed feed is fetched and parsed by newsboat itself.
    await run('newsboat', [...files, '-x', 'reload'], { env, timeout: 60_000 })
    const { stdout } = await run('newsboat', [...files, '-x', 'print-unread'], { env })
    const unread = Number(/^(\d+) unread articles/.exec(stdout.trim())?.[1])
    const sitemap = (await sitemapParts()).map((part) => part.text).join('\n')
    expect(unread).toBe(sitemap.match(/<loc>[^<]+\/articles\//g)?.length)
  })

  it('gives every outline a title, text, type, feed URL and page URL', async () => {
    const { text } = await fetchText('/feeds.opml')
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text)
    expect(parsed.opml.version).toBe('2.0')
    const outlines = [parsed.opml.body.outline].flat() as Record<string, string>[]
    const pages = await topicPages()
    expect(outlines).toHaveLength(pages.length + 1)
    for (const outline of outlines) {
      expect(outline.type).toBe('rss')
      expect(outline.text).toBe(outline.title)
      expect(outline.title).toMatch(/^Edge Feed Publisher/)
      expect(outline.xmlUrl).toBe(`${outline.htmlUrl}rss.xml`)
      expect((await fetch(outline.xmlUrl!)).headers.get('content-type')).toBe(
        'application/rss+xml; charset=utf-8',
      )
    }
  })
})

describe('crawlers', () => {
  it('serves a sitemap index whose parts are valid against the sitemap schema and list pages that answer', async () => {
    const { response, text: indexText } = await fetchText('/sitemap.xml')
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8')
    expect(new XMLParser().parse(indexText).sitemapindex).toBeDefined()
    const urls: { loc: string; lastmod: string }[] = []
    for (const [index, part] of (await sitemapParts()).entries()) {
      const file = join(folder, `sitemap-${index}.xml`)
      await writeFile(file, part.text)
      const { stderr } = await run('xmllint', [
        '--noout',
        '--schema',
        'test/schemas/sitemap.xsd',
        file,
      ])
      expect(stderr, part.url).toContain('validates')
      urls.push(...[new XMLParser().parse(part.text).urlset.url].flat())
    }
    expect(urls.map((url) => url.loc)).toContain(
      `${baseUrl()}/articles/harbour-reopens-after-the-storm/`,
    )
    for (const url of urls) {
      expect(url.lastmod, url.loc).toMatch(/^\d{4}-\d{2}-\d{2}T/)
      const page = await fetch(url.loc)
      expect(page.status, url.loc).toBe(200)
      expect(page.headers.get('content-type'), url.loc).toBe('text/html; charset=utf-8')
    }
    const harbour = urls.find((url) => url.loc.endsWith('/harbour-reopens-after-the-storm/'))
    expect(harbour?.lastmod).toBe('2024-11-04T10:30:00.000Z')
  })

  it('the schema rejects a sitemap that breaks the protocol', async () => {
    const file = join(folder, 'broken.xml')
    await writeFile(
      file,
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2024-13-45</lastmod><loc>/relative/</loc></url></urlset>',
    )
    await expect(
      run('xmllint', ['--noout', '--schema', 'test/schemas/sitemap.xsd', file]),
    ).rejects.toThrow(/fails to validate/)
  })

  it('points robots.txt at the sitemap', async () => {
    const { text } = await fetchText('/robots.txt')
    expect(text.split('\n')).toContain(`Sitemap: ${baseUrl()}/sitemap.xml`)
  })
})
