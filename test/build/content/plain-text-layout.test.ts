import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { htmlToText } from '../../../src/build/content/render-markdown.ts'
import { compileFixture } from '../../support/fixtures.ts'

/** The seed document exactly as it was saved (a verbatim copy; tests never read ../shared/). */
const SEED = readFileSync(new URL('../../fixtures/seed-verbatim.txt', import.meta.url).pathname)
const SOURCE =
  'https://www.themoscowtimes.com/2024/10/22/south-korea-may-send-military-personnel-to-ukraine-a-mid-suspected-north-korean-deployments-yonhap-a86767'

describe('the plain-text layout of saved articles', () => {
  it('reads the seed document as it is: title, date, credit line, body and original URL', () => {
    const [article] = compileFixture({ 'saved.txt': SEED }).articles
    expect(article).toMatchObject({
      title:
        'South Korea May Send Military Personnel to Ukraine Amid Suspected North Korean Deployments – Yonhap',
      published: '2024-10-22T00:00:00.000Z',
      imageCaption: 'North Korean soldiers.',
      imageCredit: 'Uwe Brodrecht (CC BY-SA 2.0)',
      sourceUrl: SOURCE,
      sourceName: 'themoscowtimes.com',
      summary:
        'South Korea may soon deploy military intelligence personnel in Ukraine to monitor North Korean troops claimed to be fighting for Russia, the Yonhap news agency reported Tuesday, citing an anonymous government source.',
    })
    const html = article!.contentHtml!
    expect(
      html.startsWith(
        '<p>North Korean soldiers. <strong>Uwe Brodrecht (CC BY-SA 2.0)</strong></p><p>South Korea may soon',
      ),
    ).toBe(true)
    expect(html.endsWith('<p><em>AFP contributed reporting.</em></p>')).toBe(true)
    expect(html).not.toContain('Original url')
    expect(html).not.toContain('# South Korea')
    expect(html).not.toContain('October 22, 2024')
    // Every paragraph of the body is there, in order.
    const paragraphs = SEED.toString('utf8')
      .split(/\n\s*\n/)
      .map((block) => block.trim())
      .filter(
        (block) =>
          block &&
          !block.startsWith('#') &&
          !block.startsWith('Original url') &&
          !block.startsWith('<http'),
      )
      .slice(2)
    expect(paragraphs).toHaveLength(13)
    const text = htmlToText(html)
    let position = 0
    for (const paragraph of paragraphs) {
      const words = paragraph.replace(/\*+|\[|\]\(#\)/g, '')
      const found = text.indexOf(words, position)
      expect(found, words).toBeGreaterThan(position - 1)
      position = found
    }
  })

  it('keeps the words of [text](#) links and drops the dead links', () => {
    const html = compileFixture({ 'saved.txt': SEED }).articles[0]!.contentHtml
    expect(html).toContain('the Yonhap news agency reported Tuesday')
    expect(html).toContain(
      '<strong>Related article:</strong> North Koreans Fighting for Russia Put Warm Words into Practice',
    )
    expect(html).not.toMatch(/href="[^"]*#"/)
  })

  it('lets front matter add topics and override what the layout says', () => {
    const withFront = `---\ntopics: [Ukraine]\nsource_name: The Moscow Times\ntitle: Shorter title\n---\n${SEED.toString('utf8')}`
    const [article] = compileFixture({ 'saved.txt': withFront }).articles
    expect(article).toMatchObject({
      title: 'Shorter title',
      published: '2024-10-22T00:00:00.000Z',
      sourceName: 'The Moscow Times',
      sourceUrl: SOURCE,
      topics: [{ slug: 'ukraine', name: 'Ukraine' }],
    })
  })

  it('reads other date spellings, CRLF line endings, a byte-order mark and an inline URL', () => {
    const variants = {
      'a.txt':
        '\uFEFF# Alpha\r\n\r\nOct. 3, 2023\r\n\r\nBody one.\r\n\r\nOriginal url: <https://example.com/a>\r\n',
      'b.txt': '# Beta\n\n3 March 2023\n\nBody two.\n',
      'c.md':
        '# Gamma\n\nWednesday, March 1, 2023\n\nCaption only. **Photo: Ann**\n\nBody three.\n',
    }
    const articles = compileFixture(variants).articles
    expect(
      articles.map((a) => [a.title, a.published, a.sourceUrl ?? null, a.imageCredit ?? null]),
    ).toEqual([
      ['Alpha', '2023-10-03T00:00:00.000Z', 'https://example.com/a', null],
      ['Beta', '2023-03-03T00:00:00.000Z', null, null],
      ['Gamma', '2023-03-01T00:00:00.000Z', null, 'Photo: Ann'],
    ])
    expect(articles[0]!.contentHtml).toBe('<p>Body one.</p>')
  })

  it('keeps angle brackets in the body as text: the layout is text, not HTML', () => {
    const [article] = compileFixture({
      'script.txt':
        '# Forum bug fixed\n\nMarch 1, 2023\n\nUsers could post <script>alert(1)</script> in replies; a <b>tag</b> & `<code>` too.\n',
    }).articles
    const html = article!.contentHtml ?? ''
    expect(html).toContain(
      'Users could post &lt;script&gt;alert(1)&lt;/script&gt; in replies; a &lt;b&gt;tag&lt;/b&gt; &amp; <code>&lt;code&gt;</code> too.',
    )
    expect(html).not.toContain('<script')
    expect(htmlToText(html)).toContain('Users could post <script>alert(1)</script> in replies')
  })
})
