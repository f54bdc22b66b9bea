import { describe, expect, it } from 'vitest'
import { SITE_ENV, testApp } from '../../support/app.ts'
import { compileFixture, NEWSROOM, NOW } from '../../support/fixtures.ts'
import { readAtom, readJsonFeed, readRss } from '../../support/readers.ts'

const content = compileFixture(NEWSROOM)
const HUB = 'https://hub.example.net/'

describe('WebSub discovery (W3C WebSub section 4)', () => {
  const app = testApp(content, { now: NOW }, { ...SITE_ENV, WEBSUB_HUB_URL: HUB })

  it('advertises the hub and the feed itself in every subscription feed and its Link header', async () => {
    for (const folder of ['', 'topics/economy/', 'topics/shipping/']) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        const self = `https://news.example.com/${folder}${file}`
        const response = await app.fetch(`/${folder}${file}`)
        expect(response.headers.get('link')).toBe(`<${HUB}>; rel="hub", <${self}>; rel="self"`)
        const text = await response.text()
        if (file === 'feed.json') {
          const { raw } = readJsonFeed(text)
          expect(raw.hubs).toEqual([{ type: 'WebSub', url: HUB }])
          expect(raw.feed_url).toBe(self)
          continue
        }
        const links = file === 'rss.xml' ? readRss(text).atom?.links : readAtom(text).links
        expect(links?.find((link) => link.rel === 'hub')?.href).toBe(HUB)
        expect(links?.find((link) => link.rel === 'self')?.href).toBe(self)
      }
    }
  })

  it('does not advertise the hub where it is never notified: filtered feeds', async () => {
    const response = await app.fetch('/rss.xml?topics=economy,shipping')
    expect(response.headers.get('link')).toBeNull()
    expect(readRss(await response.text()).atom?.links?.some((link) => link.rel === 'hub')).toBe(
      false,
    )
  })

  it('advertises no hub when none is configured', async () => {
    const plain = testApp(content, { now: NOW })
    const response = await plain.fetch('/atom.xml')
    expect(response.headers.get('link')).toBeNull()
    expect(readAtom(await response.text()).links?.some((link) => link.rel === 'hub')).toBe(false)
  })
})
