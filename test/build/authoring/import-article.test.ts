import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importArticle } from '../../../src/build/authoring/import-article.ts'
import { indexSeeds } from '../../../src/build/authoring/seeds-index.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { compileFixture, markdownArticle } from '../../support/fixtures.ts'

/** Converting articles saved in the plain-text layout: the exact front matter and report. */

/** The seed document exactly as it was saved (a verbatim copy; tests never read ../shared/). */
const SEED = readFileSync(new URL('../../fixtures/seed-verbatim.txt', import.meta.url).pathname)
/** The taxonomy the project ships. */
const SHIPPED_TAXONOMY = readFileSync(
  new URL('../../fixtures/site/topics.yaml', import.meta.url).pathname,
)
const SOURCE =
  'https://www.themoscowtimes.com/2024/10/22/south-korea-may-send-military-personnel-to-ukraine-a-mid-suspected-north-korean-deployments-yonhap-a86767'

const TAXONOMY =
  'ports:\n  name: Ports\n  description: Harbours and the ships that use them.\n  keywords: [harbour, harbor]\n'

const encoder = new TextEncoder()

function seedsWith(files: Record<string, string | Uint8Array>) {
  return indexSeeds(
    Object.entries(files).map(([path, text]) => ({
      path,
      bytes: typeof text === 'string' ? encoder.encode(text) : text,
    })),
  )
}

function convert(
  name: string,
  text: string | Uint8Array,
  seeds = seedsWith({ 'topics.yaml': TAXONOMY }),
) {
  const result = importArticle(name, typeof text === 'string' ? encoder.encode(text) : text, seeds)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result
}

/** The article split as an author sees it: front matter lines, and the body. */
function partsOf(text: string): { frontMatter: string[]; body: string } {
  const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(text) ?? []
  return { frontMatter: frontMatter?.split('\n') ?? [], body: body ?? '' }
}

describe('importing the seed document', () => {
  const result = convert('seed-verbatim.txt', SEED, seedsWith({ 'topics.yaml': SHIPPED_TAXONOMY }))
  const { frontMatter, body } = partsOf(result.text)

  it('writes front matter with everything the layout implied, and topics from the taxonomy', () => {
    expect(result.fileName).toBe(
      'south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments.md',
    )
    expect(frontMatter).toEqual([
      'title: South Korea May Send Military Personnel to Ukraine Amid Suspected North Korean Deployments – Yonhap',
      'date: 2024-10-22',
      'topics: [South Korea, North Korea, Russia, Ukraine, War in Ukraine]',
      'summary: South Korea may soon deploy military intelligence personnel in Ukraine to monitor North Korean troops claimed to be fighting for Russia, the Yonhap news agency reported Tuesday, citing an anonymous government source.',
      'image_caption: North Korean soldiers.',
      'image_credit: Uwe Brodrecht (CC BY-SA 2.0)',
      `source_url: ${SOURCE}`,
      'source_name: themoscowtimes.com',
    ])
  })

  it('reports what it inferred, and what it could not', () => {
    expect(result.report).toEqual({
      inferred: [
        'title: South Korea May Send Military Personnel to Ukraine Amid Suspected North Korean Deployments – Yonhap (from the # heading)',
        'date: 2024-10-22 (from the date line)',
        'topics: South Korea, North Korea, Russia, Ukraine, War in Ukraine (from keywords in the title and first paragraphs)',
        'summary: the first paragraph',
        'image_caption: North Korean soldiers. (from the caption line)',
        'image_credit: Uwe Brodrecht (CC BY-SA 2.0) (from the caption line)',
        `source_url: ${SOURCE} (from the Original url line)`,
        "source_name: themoscowtimes.com (from the URL's site)",
        'body: 3 dead (#) links unwrapped; 1 "Related article" line without a URL removed',
      ],
      missing: [],
    })
    expect(result.warnings).toEqual([])
  })

  it('keeps the body word for word, without dead links, the layout lines or the dead related article', () => {
    expect(body.startsWith('South Korea may soon deploy military intelligence personnel')).toBe(
      true,
    )
    expect(body.endsWith('\n\n*AFP contributed reporting.*\n')).toBe(true)
    expect(body).toContain('the Yonhap news agency reported Tuesday')
    expect(body).toContain('withdrawn and warning of “phased countermeasures”')
    expect(body).toContain('a pro-war Telegram account posted a photo')
    expect(body).not.toContain('](#)')
    expect(body).not.toContain('Related article')
    expect(body).not.toContain('Original url')
    expect(body).not.toContain('October 22, 2024')
    expect(body.trim().split('\n\n')).toHaveLength(12)
  })

  it('names the site as the articles already in seeds/ name it', () => {
    const shipped =
      '---\nsource_name: The Moscow Times\n---\n# Older story\n\nMay 1, 2024\n\nBody.\n\nOriginal url: https://www.themoscowtimes.com/older\n'
    const seeds = seedsWith({ 'topics.yaml': SHIPPED_TAXONOMY, 'older.txt': shipped })
    const withName = convert('seed-verbatim.txt', SEED, seeds)
    expect(partsOf(withName.text).frontMatter).toContain('source_name: The Moscow Times')
    expect(withName.report.inferred).toContain(
      'source_name: The Moscow Times (as older.txt names themoscowtimes.com)',
    )
  })

  it('refuses the same original twice', () => {
    const seeds = seedsWith({ 'topics.yaml': SHIPPED_TAXONOMY, '000_shipped.txt': SEED })
    const again = importArticle('again.txt', SEED, seeds)
    expect(again.ok ? [] : again.problems.map(formatProblem)).toEqual([
      '[content] again.txt:39: source_url: the original is already imported, as 000_shipped.txt. Edit that article instead, or remove it first to import this one again',
    ])
  })
})

describe('importing variants of the layout', () => {
  it('reads other date formats: day first with a weekday, abbreviated months, ordinals, ISO', () => {
    const dates = {
      'Tuesday, 22 October 2024': '2024-10-22',
      'Oct. 3, 2023': '2023-10-03',
      'March 1st, 2023': '2023-03-01',
      '2023-03-01': '2023-03-01',
    }
    for (const [line, iso] of Object.entries(dates)) {
      const result = convert('a.txt', `# Harbour reopens\n\n${line}\n\nThe harbour is open.\n`)
      expect(partsOf(result.text).frontMatter[1]).toBe(`date: ${iso}`)
      expect(result.report.inferred[1]).toBe(`date: ${iso} (from the date line)`)
    }
  })

  it('imports an article with a caption line', () => {
    const result = convert(
      'dates.txt',
      '# Harbour reopens\n\nTuesday, 22 October 2024\n\nCranes at dawn. **Ann Lee (CC BY 2.0)**\n\nThe harbour is open.\n\nOriginal url:\n<https://www.example.com/harbour>\n',
    )
    expect(result.text).toBe(
      '---\ntitle: Harbour reopens\ndate: 2024-10-22\ntopics: [Ports]\nsummary: The harbour is open.\nimage_caption: Cranes at dawn.\nimage_credit: Ann Lee (CC BY 2.0)\nsource_url: https://www.example.com/harbour\nsource_name: example.com\n---\n\nThe harbour is open.\n',
    )
    expect(result.report.missing).toEqual([])
  })

  it('imports an article without a caption line, and says so', () => {
    const result = convert(
      'nocap.txt',
      '# Harbour reopens\n\nOct. 3, 2023\n\nThe harbour is open.\n\nOriginal url: https://news.example.org/a\n',
    )
    expect(result.text).toBe(
      '---\ntitle: Harbour reopens\ndate: 2023-10-03\ntopics: [Ports]\nsummary: The harbour is open.\nsource_url: https://news.example.org/a\nsource_name: news.example.org\n---\n\nThe harbour is open.\n',
    )
    expect(result.report.missing).toEqual([
      'image_caption, image_credit: there is no caption line under the date',
    ])
  })

  it('imports an article without an original URL, and says so', () => {
    const result = convert(
      'nourl.txt',
      '# Harbour reopens\n\n2023-03-01\n\nA boat. **Bo**\n\nThe harbour is open.\n',
    )
    expect(result.text).toBe(
      '---\ntitle: Harbour reopens\ndate: 2023-03-01\ntopics: [Ports]\nsummary: The harbour is open.\nimage_caption: A boat.\nimage_credit: Bo\n---\n\nThe harbour is open.\n',
    )
    expect(result.report.missing).toEqual([
      'source_url, source_name: there is no "Original url:" line at the end',
    ])
  })

  it('reads CRLF line endings and writes LF', () => {
    const result = convert(
      'crlf.txt',
      '# Harbour reopens\r\n\r\nMarch 1, 2023\r\n\r\nThe harbour is open.\r\n\r\nOriginal url:\r\n<https://example.com/crlf>\r\n',
    )
    expect(result.text).toBe(
      '---\ntitle: Harbour reopens\ndate: 2023-03-01\ntopics: [Ports]\nsummary: The harbour is open.\nsource_url: https://example.com/crlf\nsource_name: example.com\n---\n\nThe harbour is open.\n',
    )
  })

  it('reads a file that opens with a byte-order mark, and writes none', () => {
    const result = convert(
      'bom.txt',
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...encoder.encode(
          '# Harbour reopens\n\nMarch 1, 2023\n\nThe harbour is open.\n\nOriginal url:\n<https://example.com/bom>\n',
        ),
      ]),
    )
    expect(result.text).toBe(
      '---\ntitle: Harbour reopens\ndate: 2023-03-01\ntopics: [Ports]\nsummary: The harbour is open.\nsource_url: https://example.com/bom\nsource_name: example.com\n---\n\nThe harbour is open.\n',
    )
  })

  it('keeps curly quotes, quotes the YAML where needed, and keeps related articles that lead somewhere', () => {
    const result = convert(
      'curly.txt',
      '# The port’s “new” era: what’s next\n\nMarch 1st, 2023\n\n“It’s open,” she said of the harbour.\n\n**Related article:** [Older story](/2023/02/older)\n\n**Related article:** [Lost story](#)\n\nSee [the map](/map) and [nothing](#).\n\nOriginal url: “https://example.com/2023/03/era”\n',
    )
    expect(result.text).toBe(
      '---\ntitle: "The port’s “new” era: what’s next"\ndate: 2023-03-01\ntopics: [Ports]\nsummary: “It’s open,” she said of the harbour.\nsource_url: https://example.com/2023/03/era\nsource_name: example.com\n---\n\n“It’s open,” she said of the harbour.\n\n**Related article:** [Older story](https://example.com/2023/02/older)\n\nSee [the map](https://example.com/map) and nothing.\n',
    )
    expect(result.fileName).toBe('the-ports-new-era-whats-next.md')
    expect(result.report.inferred.at(-1)).toBe(
      'body: 1 dead (#) link unwrapped; 2 relative URLs made absolute against the original; 1 "Related article" line without a URL removed',
    )
  })

  it('keeps topics the file lists, with a warning for one the taxonomy lacks', () => {
    const result = convert(
      'listed.txt',
      '---\ntopics: [Harbor, Weather]\n---\n# Harbour reopens\n\nMarch 1, 2023\n\nThe harbour is open.\n',
    )
    expect(partsOf(result.text).frontMatter[2]).toBe('topics: [Harbor, Weather]')
    expect(result.report.inferred[2]).toBe('topics: Harbor, Weather (from the front matter)')
    expect(result.warnings.map(formatProblem)).toEqual([
      '[content] listed.txt:2: warning: topics: topic "Harbor" is not in topics.yaml, so it has no description. Did you mean "Ports"? Otherwise add `harbor:` with a name and a description to topics.yaml',
      '[content] listed.txt:2: warning: topics: topic "Weather" is not in topics.yaml, so it has no description. Add `weather:` with a name and a description to topics.yaml, or use one of its topics',
    ])
  })

  it('says when no topic of the taxonomy is mentioned', () => {
    const result = convert('a.txt', '# Budget passes\n\nMarch 1, 2023\n\nThe budget passed.\n')
    expect(partsOf(result.text).frontMatter.some((line) => line.startsWith('topics:'))).toBe(false)
    expect(result.report.missing).toContain(
      'topics: no topic of topics.yaml is named in the title or first paragraphs',
    )
  })

  it('gives a taken slug a number, and says why', () => {
    const seeds = seedsWith({
      'topics.yaml': TAXONOMY,
      'old.md': markdownArticle({ title: 'Harbour reopens', date: '2020-01-01' }),
    })
    const result = convert(
      'a.txt',
      '# Harbour reopens\n\nMarch 1, 2023\n\nThe harbour is open.\n',
      seeds,
    )
    expect(result.fileName).toBe('harbour-reopens-2.md')
    expect(partsOf(result.text).frontMatter).toContain('slug: harbour-reopens-2')
    expect(result.report.inferred).toContain(
      'slug: harbour-reopens-2 (harbour-reopens is taken by old.md)',
    )
  })

  it('refuses a file without a date, naming the line and the fix', () => {
    const result = importArticle(
      'nodate.txt',
      encoder.encode('# Harbour reopens\n\nThe harbour is open.\n'),
      seedsWith({}),
    )
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      '[content] nodate.txt:2: date: the article has no date. Add `date: 2024-10-22` to the front matter, or a date line like `October 22, 2024` under the title',
    ])
  })

  it('writes articles the build reads back exactly as the import saw them', () => {
    const result = convert(
      'curly.txt',
      '# The port’s “new” era: what’s next\n\nMarch 1st, 2023\n\nA crane. **“Ann” (CC0)**\n\n“It’s open,” she said of the harbour.\n\nOriginal url: https://example.com/era\n',
    )
    const article = compileFixture({ 'topics.yaml': TAXONOMY, [result.fileName]: result.text })
      .articles[0]!
    expect(article).toMatchObject({
      slug: 'the-ports-new-era-whats-next',
      title: 'The port’s “new” era: what’s next',
      published: '2023-03-01T00:00:00.000Z',
      summary: '“It’s open,” she said of the harbour.',
      imageCaption: 'A crane.',
      imageCredit: '“Ann” (CC0)',
      sourceUrl: 'https://example.com/era',
      sourceName: 'example.com',
      topics: [{ slug: 'ports', name: 'Ports' }],
    })
  })

  it('resolves relative images and links against the original URL alike, and keeps <…> as text', () => {
    const result = convert(
      'pictures.txt',
      '# Harbour reopens\n\nMarch 1, 2023\n\nThe harbour is open.\n\n![Cranes](../img/cranes.jpg) and [the map](map.html); the sign said <closed>.\n\nOriginal url: https://example.com/2023/03/harbour/\n',
    )
    expect(partsOf(result.text).body).toContain(
      '![Cranes](https://example.com/2023/03/img/cranes.jpg) and [the map](https://example.com/2023/03/harbour/map.html); the sign said \\<closed>.',
    )
    expect(result.report.inferred.at(-1)).toBe(
      'body: 2 relative URLs made absolute against the original',
    )
    const [article] = compileFixture({ 'harbour.md': result.text }).articles
    expect(article!.contentHtml).toContain('src="https://example.com/2023/03/img/cranes.jpg"')
    expect(article!.contentHtml).toContain('the sign said &lt;closed&gt;.')
  })
})
