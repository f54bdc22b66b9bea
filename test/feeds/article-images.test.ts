import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { testApp } from '../support/app.ts'
import { compileFixture, markdownArticle, NOW } from '../support/fixtures.ts'
import { JPEG_40x30, PNG_24x16 } from '../support/images.ts'
import { readJsonFeed } from '../support/readers.ts'

/**
 * A fixture article with a local JPEG (its lead picture) and a local PNG (in
 * its body), as every feed format and the article page carry them.
 */

const ORIGIN = 'https://news.example.com'
const JPEG_URL = `${ORIGIN}/2024/harbour.jpg`
const PNG_URL = `${ORIGIN}/2024/charts/arrivals%201.png`

const app = testApp(
  compileFixture({
    '2024/harbour.md': markdownArticle(
      {
        title: 'Harbour reopens',
        date: '2024-03-01',
        summary: 'Ships are back.',
        image: 'harbour.jpg',
        image_caption: 'Cranes & "cargo" at dawn',
        image_credit: 'Port <Authority>',
      },
      'The harbour reopened.\n\n![Arrivals by week](charts/arrivals%201.png)',
    ),
    '2024/harbour.jpg': JPEG_40x30,
    '2024/charts/arrivals 1.png': PNG_24x16,
    'remote.md': markdownArticle({
      title: 'Remote picture',
      date: '2024-02-01',
      image: 'https://cdn.example/photo.png',
    }),
  }),
  { now: NOW },
)

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['item', 'entry', 'link'].includes(name),
})

type Node = Record<string, unknown>

const LEAD =
  `<figure><img src="${JPEG_URL}" width="40" height="30" alt="Cranes &amp; &quot;cargo&quot; at dawn">` +
  '<figcaption>Cranes &amp; &quot;cargo&quot; at dawn <strong>Port &lt;Authority&gt;</strong></figcaption></figure>'

const MEDIA_CONTENT = {
  url: JPEG_URL,
  type: 'image/jpeg',
  medium: 'image',
  width: '40',
  height: '30',
  fileSize: String(JPEG_40x30.byteLength),
  'media:description': { type: 'plain', '#text': 'Cranes & "cargo" at dawn' },
  'media:credit': 'Port <Authority>',
}
const MEDIA_THUMBNAIL = { url: JPEG_URL, width: '40', height: '30' }

describe('an article with a local JPEG and a local PNG', () => {
  it('RSS: Media RSS content and thumbnail, an enclosure with the true length, the picture atop the content', async () => {
    const xml = await app.text('/rss.xml')
    expect(xml).toContain('xmlns:media="http://search.yahoo.com/mrss/"')
    const items = (parser.parse(xml).rss.channel.item as Node[]).map((item) => item)
    const [local, remote] = items
    expect(local!.enclosure).toEqual({
      url: JPEG_URL,
      type: 'image/jpeg',
      length: String(JPEG_40x30.byteLength),
    })
    expect(local!['media:content']).toEqual(MEDIA_CONTENT)
    expect(local!['media:thumbnail']).toEqual(MEDIA_THUMBNAIL)
    const html = String(local!['content:encoded'])
    expect(html.startsWith(LEAD)).toBe(true)
    expect(html).toContain(`src="${PNG_URL}" width="24" height="16"`)
    // A remote picture keeps working: its URL and type, no size the build cannot know.
    expect(remote!.enclosure).toEqual({
      url: 'https://cdn.example/photo.png',
      type: 'image/png',
      length: '0',
    })
    expect(remote!['media:content']).toEqual({
      url: 'https://cdn.example/photo.png',
      type: 'image/png',
      medium: 'image',
    })
  })

  it('Atom: an enclosure link with its length and the same Media RSS elements', async () => {
    const xml = await app.text('/atom.xml')
    const [local] = parser.parse(xml).feed.entry as Node[]
    expect((local!.link as Node[]).find((link) => link.rel === 'enclosure')).toEqual({
      rel: 'enclosure',
      href: JPEG_URL,
      type: 'image/jpeg',
      length: String(JPEG_40x30.byteLength),
    })
    expect(local!['media:content']).toEqual(MEDIA_CONTENT)
    expect(local!['media:thumbnail']).toEqual(MEDIA_THUMBNAIL)
    expect(String((local!.content as Node)['#text']).startsWith(LEAD)).toBe(true)
  })

  it('JSON Feed: image, an attachment with its size, the picture atop content_html', async () => {
    const { raw } = readJsonFeed(await app.text('/feed.json'))
    const [local] = (raw as { items: Node[] }).items
    expect(local!.image).toBe(JPEG_URL)
    expect(local!.attachments).toEqual([
      { url: JPEG_URL, mime_type: 'image/jpeg', size_in_bytes: JPEG_40x30.byteLength },
    ])
    expect(String(local!.content_html).startsWith(LEAD)).toBe(true)
  })

  it('the article page shows the picture with its caption as alt text and its credit', async () => {
    const html = await app.text('/articles/harbour-reopens/')
    expect(html).toContain(LEAD)
    expect(html).toContain(`<meta property="og:image" content="${JPEG_URL}">`)
  })
})
