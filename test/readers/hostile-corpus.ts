import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CompiledContent } from '../../src/contract/compiled.ts'
import { JPEG_40x30, PNG_24x16 } from '../support/images.ts'
import type { CheckResult } from './report.ts'

/**
 * A corpus of articles written to break feeds, generated into a folder outside
 * seeds/ for the hostile run of the reader conformance suite. Every article
 * carries markup characters, `]]>`, `</title>`, quotes in attributes, every
 * C0 control character, lone surrogates, emoji and right-to-left text; some
 * are 50 kB long, some have CRLF line endings or a byte-order mark, some use
 * the plain-text layout; together they use 200 topics.
 */

/** Every C0 control character, tab, line feed and carriage return included. */
export const C0_CONTROLS = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join(
  '',
)
const INLINE_CONTROLS = C0_CONTROLS.replace(/[\n\r]/g, '')

const ARTICLES = 60
export const HOSTILE_TOPIC_COUNT = 200
const TOPICS_PER_ARTICLE = 10
const LONG_BODY_BYTES = 50_000

const TOPIC_STEMS = [
  'R&D <lab>',
  '"Quotes"',
  "it's </title>",
  'مرحبا بالعالم',
  'שלום',
  '🐟 & 🎉',
  'a]]>b',
  'Zoë',
]

/** Topic i of 200: unique names (so unique slugs), most of them hostile. */
function topicName(index: number): string {
  return `${TOPIC_STEMS[index % TOPIC_STEMS.length]} ${index}`
}

const LONE_SURROGATES = '\uD800 x \uDFFF'

function title(index: number): string {
  return `Fish & Chips <b>${index}</b> ]]> </title> "quoted" 'single' 🐟 שלום עולם مرحبا ${LONE_SURROGATES}${INLINE_CONTROLS}end`
}

function paragraph(index: number): string {
  return [
    `Paragraph ${index} with & and < and > and ]]> and ]]> again, </title>, emoji 🎉👩🏽‍💻, RTL עברית and العربية,`,
    `controls${INLINE_CONTROLS}here, an entity for a lone surrogate &#xD800; and`,
    `<a href="https://example.com/?a=1&b=2" title="say &quot;hi&quot; &amp; it's">a raw link</a>,`,
    `[a markdown link](https://example.com/path?x="1"&y='2' "title with \\"quotes\\" & <angle>"),`,
    `[a relative link](../other-article/) and ![a relative image](images/pic%20${index}.png "pic & <it>").`,
  ].join(' ')
}

function body(index: number): string {
  const paragraphs = [paragraph(index)]
  if (index % 10 === 0) {
    // A long article: readers and parsers must take it whole.
    while (paragraphs.join('\n\n').length < LONG_BODY_BYTES) paragraphs.push(paragraph(index))
  }
  paragraphs.push(
    '<p title="a &quot;quoted&quot; attribute" onclick="alert(1)">raw html</p><script>alert(1)</script>',
  )
  return paragraphs.join('\n\n')
}

function frontMatter(fields: Record<string, unknown>): string {
  // JSON is YAML: every string is double-quoted, controls and surrogates as \u escapes.
  return `---\n${Object.entries(fields)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n')}\n---\n`
}

function published(index: number): string {
  // Distinct whole-second times in several zones, all in the past.
  const base = Date.UTC(2024, 0, 1) + index * 86_400_000 + index * 3_671_000
  const offset = ['Z', '+03:00', '-07:30', '+05:45'][index % 4]!
  const shift = { Z: 0, '+03:00': 180, '-07:30': -450, '+05:45': 345 }[offset as 'Z']
  const local = new Date(base + shift * 60_000).toISOString().slice(0, 19)
  return `${local}${offset}`
}

/** A file name beside the article, with characters a URL must encode. */
function leadImageName(index: number): string {
  return `photo & 'co' ${index}.png`
}

function articleText(index: number): string {
  const topics = Array.from({ length: TOPICS_PER_ARTICLE }, (_, k) =>
    topicName((index * TOPICS_PER_ARTICLE + k) % HOSTILE_TOPIC_COUNT),
  )
  const fields: Record<string, unknown> = {
    title: title(index),
    date: published(index),
    topics,
    // Every other article has two authors: every parser must show both.
    ...(index % 2 === 0
      ? { authors: [`Zoë & <Co> "${index}"`, `Ana ]]> Lima <${index}>`] }
      : { author: `Zoë & <Co> "${index}"` }),
    summary: `Less < more & ]]> done ${LONE_SURROGATES} ${index}`,
    source_url: `https://example.org/story?id=${index}&ref="feed"`,
    source_name: `Example & <News> ${index}`,
  }
  if (index % 3 === 0)
    fields.updated = new Date(Date.parse(published(index)) + 3_600_000).toISOString()
  // Images in the seeds folder: from the site root, or beside the article with a hostile name.
  if (index % 5 === 0) fields.image = `/images/photo-${index}.jpg`
  if (index % 5 === 2) fields.image = leadImageName(index)
  if (index % 7 === 0) fields.id = `tag:example.com,2024:hostile&${index}`
  return frontMatter(fields) + body(index)
}

/** The plain-text layout of saved news articles, hostile too. */
function plainTextArticle(index: number): string {
  return [
    `# Plain & <simple> ]]> ${index} 🐟 שלום`,
    'March 3, 2024',
    '',
    'Caption & <credit>. **Photo & Co**',
    '',
    paragraph(index),
    '',
    'Original url:',
    `<https://example.net/plain?n=${index}&m=2>`,
    '',
  ].join('\n')
}

/** Writes the corpus into `folder` and returns how many articles and topics it holds. */
export async function writeHostileCorpus(
  folder: string,
): Promise<{ articles: number; topics: number }> {
  await mkdir(join(folder, 'nested'), { recursive: true })
  const encoder = new TextEncoder()
  for (let index = 0; index < ARTICLES; index++) {
    let text = articleText(index)
    if (index % 4 === 1) text = text.replace(/\r?\n/g, '\r\n')
    if (index % 4 === 2) text = `\uFEFF${text}`
    if (index % 4 === 3) text = `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`
    const articleFolder = join(folder, index % 2 ? 'nested' : '')
    await writeFile(join(articleFolder, `article-${index}.md`), encoder.encode(text))
    // The body's relative image, and the lead image where there is one.
    await mkdir(join(articleFolder, 'images'), { recursive: true })
    await writeFile(join(articleFolder, 'images', `pic ${index}.png`), PNG_24x16)
    if (index % 5 === 0) {
      await mkdir(join(folder, 'images'), { recursive: true })
      await writeFile(join(folder, 'images', `photo-${index}.jpg`), JPEG_40x30)
    }
    if (index % 5 === 2) await writeFile(join(articleFolder, leadImageName(index)), PNG_24x16)
  }
  await writeFile(join(folder, 'images', `pic ${ARTICLES}.png`), PNG_24x16)
  await writeFile(
    join(folder, 'plain-crlf.txt'),
    `\uFEFF${plainTextArticle(ARTICLES).replace(/\n/g, '\r\n')}`,
  )
  return { articles: ARTICLES + 1, topics: HOSTILE_TOPIC_COUNT }
}

/**
 * Proof that the compiled corpus is still hostile, so a build that stripped
 * the hard parts could not make the run pass vacuously: the characters that
 * must survive compilation are there, and so are the topics and long bodies.
 */
export function checkHostileCorpus(content: CompiledContent): CheckResult {
  const problems: string[] = []
  const titles = content.articles.map((article) => article.title).join('\n')
  for (const text of ['&', '<b>', ']]>', '</title>', '"quoted"', "'single'", '🐟', 'שלום', 'مرحبا'])
    if (!titles.includes(text)) problems.push(`titles: none holds ${JSON.stringify(text)}`)
  const topics = new Set(
    content.articles.flatMap((article) => article.topics.map((topic) => topic.slug)),
  )
  if (topics.size !== HOSTILE_TOPIC_COUNT)
    problems.push(`topics: expected ${HOSTILE_TOPIC_COUNT}, compiled ${topics.size}`)
  const longest = Math.max(...content.articles.map((article) => article.contentHtml?.length ?? 0))
  if (longest < LONG_BODY_BYTES) problems.push(`bodies: the longest is ${longest} characters`)
  if (
    !content.articles.some((article) => article.contentHtml?.includes('title="say &quot;hi&quot;'))
  )
    problems.push('content: no quoted attribute survived')
  return { feed: 'the hostile corpus', tool: 'hostile-corpus', problems }
}
