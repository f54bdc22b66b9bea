import { describe, expect, it } from 'vitest'
import { testApp } from '../support/app.ts'
import { compileFixture, NOW } from '../support/fixtures.ts'
import { PNG_24x16 } from '../support/images.ts'
import { htmlText, readAtom, readJsonFeed, readRss } from '../support/readers.ts'

const CONTROL = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code))
  .filter((char) => !'\t\n\r'.includes(char))
  .join('')
const TITLE = `Fish & Chips <b>bold</b> ]]> ]]> "quoted" 'single' 🐟 שלום עולם${CONTROL}end`

const content = compileFixture({
  'hostile.md': [
    '---',
    `title: ${JSON.stringify(TITLE)}`,
    'date: 2024-06-01',
    'topics: ["R&D <lab>", "\\"Quotes\\"", "مرحبا"]',
    'author: "Zoë & <Co>"',
    'summary: "Less < more & ]]> done"',
    '---',
    `Body with & and < and ]]> and ]]> again, emoji 🎉, RTL עברית, controls${CONTROL}here.`,
    '',
    '<p title="a &quot;quoted&quot; attribute" onclick="alert(1)">raw html</p><script>alert(1)</script>',
    '',
    '[a link](https://example.com/?a=1&b=2 "title with \\"quotes\\"") and ![pic](photo.png)',
  ].join('\n'),
  'photo.png': PNG_24x16,
})
const app = testApp(content, { now: NOW })
const slug = content.articles[0]!.slug
const EXPECTED_TITLE = TITLE.replace(CONTROL, '')

describe('an article with hostile text', () => {
  it('gives well-formed RSS whose parsed title, categories and author are the text as written', async () => {
    const feed = readRss(await app.text('/rss.xml'))
    const item = feed.items![0]!
    expect(item.title).toBe(EXPECTED_TITLE)
    expect(item.categories?.map((category) => category.name)).toEqual([
      'R&D <lab>',
      '"Quotes"',
      'مرحبا',
    ])
    expect(item.dc?.creators).toEqual(['Zoë & <Co>'])
    expect(htmlText(item.description!)).toBe('Less < more & ]]> done')
    const html = item.content!.encoded!
    expect(html).toContain(
      'Body with &amp; and &lt; and ]]&gt; and ]]&gt; again, emoji 🎉, RTL עברית, controlshere.',
    )
    expect(html).not.toContain('<script')
    expect(html).not.toContain('onclick')
    expect(html).toContain('href="https://example.com/?a=1&amp;b=2">a link</a>')
    expect(html).toContain(
      // An image beside the article is published at its path in the seeds folder, with its size.
      'src="https://news.example.com/photo.png" width="24" height="16"',
    )
  })

  it('gives well-formed Atom with the same values', async () => {
    const feed = readAtom(await app.text('/atom.xml'))
    const entry = feed.entries![0]!
    // A plain text construct (RFC 4287 section 3.1.1): shown as it is, never decoded again.
    expect(entry.title).toEqual({ type: 'text', value: EXPECTED_TITLE })
    expect(entry.categories?.map((category) => [category.term, category.label])).toEqual([
      ['R&D <lab>', 'R&D <lab>'],
      ['"Quotes"', '"Quotes"'],
      ['مرحبا', 'مرحبا'],
    ])
    expect(entry.authors).toEqual([{ name: 'Zoë & <Co>' }])
    for (const slug of ['r-d-lab', 'quotes', encodeURIComponent('مرحبا')]) {
      readAtom(await app.text(`/topics/${slug}/atom.xml`))
      readRss(await app.text(`/topics/${slug}/rss.xml`))
    }
  })

  it('gives valid JSON with the same values and no control characters', async () => {
    const text = await app.text('/feed.json')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
    const { feed } = readJsonFeed(text)
    expect(feed.items![0]!.title).toBe(EXPECTED_TITLE)
    expect(feed.items![0]!.tags).toEqual(['R&D <lab>', '"Quotes"', 'مرحبا'])
  })

  it('shows the title as text on its page, never as markup', async () => {
    expect(slug).toBe('fish-chips-b-bold-b-quoted-single-שלום-עולם-end')
    const page = await app.text(`/articles/${encodeURIComponent(slug)}/`)
    expect(page).toContain(
      '<h1>Fish &amp; Chips &lt;b&gt;bold&lt;/b&gt; ]]&gt; ]]&gt; &quot;quoted&quot;',
    )
    expect(page).not.toContain('<b>bold</b>')
    expect(page).not.toContain('<script>')
  })
})
