import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { htmlText, readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

/**
 * The deployed worker itself (src/index.ts with the compiled seeds/), called
 * inside workerd, serving the seed article as it ships.
 */

const ORIGIN = 'http://localhost:8787'
const TITLE =
  'South Korea May Send Military Personnel to Ukraine Amid Suspected North Korean Deployments – Yonhap'
const SOURCE =
  'https://www.themoscowtimes.com/2024/10/22/south-korea-may-send-military-personnel-to-ukraine-a-mid-suspected-north-korean-deployments-yonhap-a86767'
const TOPICS = ['South Korea', 'North Korea', 'Russia', 'Ukraine', 'War in Ukraine']

async function get(path: string): Promise<string> {
  const response = await exports.default.fetch(`${ORIGIN}${path}`)
  expect(response.status, path).toBe(200)
  return response.text()
}

function discoveredFeeds(html: string): string[] {
  return [
    ...html.matchAll(
      /<link rel="alternate" type="application\/(?:rss\+xml|atom\+xml|feed\+json)"[^>]*href="([^"]+)"/g,
    ),
  ].map((match) => match[1]!)
}

describe('the seed article, served by the worker', () => {
  it('comes through every site feed with its title, date, topics, credit, body and original URL', async () => {
    const rss = readRss(await get('/rss.xml')).items![0]!
    const atom = readAtom(await get('/atom.xml')).entries![0]!
    const json = readJsonFeed(await get('/feed.json')).feed.items![0]!

    expect(rss.title).toBe(TITLE)
    expect(htmlText(atom.title!.value!)).toBe(TITLE)
    expect(json.title).toBe(TITLE)
    expect(new Date(rss.pubDate!).toISOString()).toBe('2024-10-22T00:00:00.000Z')
    expect(atom.published).toBe('2024-10-22T00:00:00.000Z')
    expect(json.date_published).toBe('2024-10-22T00:00:00.000Z')
    expect(rss.categories?.map((category) => category.name)).toEqual(TOPICS)
    expect(json.tags).toEqual(TOPICS)
    expect(json.external_url).toBe(SOURCE)
    expect(atom.links).toContainEqual({ rel: 'related', href: SOURCE })

    const html = json.content_html!
    expect(html).toContain(
      '<p>North Korean soldiers. <strong>Uwe Brodrecht (CC BY-SA 2.0)</strong></p>',
    )
    expect(html).toContain(
      'the Yonhap news agency reported Tuesday, citing an anonymous government source.',
    )
    expect(html).toContain(
      '<p><strong>Related article:</strong> North Koreans Fighting for Russia Put Warm Words into Practice</p>',
    )
    expect(html).toContain(
      'urging its troops to be immediately withdrawn and warning of “phased countermeasures”',
    )
    expect(html).toContain('<p><em>AFP contributed reporting.</em></p>')
    expect(html).toContain(`Original article: <a href="${SOURCE}">The Moscow Times</a>`)
    // The `[text](#)` links of the saved page led nowhere: their words stay, the links go.
    expect(html).not.toContain('href="#"')
    expect(html).not.toContain('Original url')
    expect(rss.content?.encoded).toBe(html)
  })

  it('is in the feed of every topic it is about', async () => {
    for (const slug of ['south-korea', 'north-korea', 'russia', 'ukraine', 'war-in-ukraine']) {
      const feed = readRss(await get(`/topics/${slug}/rss.xml`))
      expect(feed.items?.map((item) => item.title)).toEqual([TITLE])
    }
  })

  it('has a page at the link its feed items use, with title, date, topics, credit and source', async () => {
    const link = readRss(await get('/rss.xml')).items![0]!.link!
    expect(link).toBe(
      `${ORIGIN}/articles/south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments/`,
    )
    const page = await get(new URL(link).pathname)
    expect(page).toContain(`<h1>${TITLE}</h1>`)
    expect(page).toContain('<time datetime="2024-10-22T00:00:00.000Z">October 22, 2024</time>')
    // A plain static page: with SITE_URL empty its links are root-relative, right on any origin.
    expect(page).toMatch(
      /<a href="(http:\/\/localhost:8787)?\/topics\/north-korea\/">North Korea<\/a>/,
    )
    expect(page).toContain('Uwe Brodrecht (CC BY-SA 2.0)')
    expect(page).toContain(`Original article: <a href="${SOURCE}">The Moscow Times</a>`)
  })

  it('lets readers discover the site feeds from the home page and each topic feed from its page', async () => {
    expect(discoveredFeeds(await get('/'))).toEqual([
      `${ORIGIN}/rss.xml`,
      `${ORIGIN}/atom.xml`,
      `${ORIGIN}/feed.json`,
    ])
    const topicPage = await get('/topics/ukraine/')
    expect(discoveredFeeds(topicPage).slice(0, 3)).toEqual([
      `${ORIGIN}/topics/ukraine/rss.xml`,
      `${ORIGIN}/topics/ukraine/atom.xml`,
      `${ORIGIN}/topics/ukraine/feed.json`,
    ])
    const home = await get('/')
    for (const topic of TOPICS) expect(home).toContain(`>${topic}</a>`)
  })
})
