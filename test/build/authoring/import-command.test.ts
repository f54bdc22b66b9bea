import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { testApp } from '../../support/app.ts'
import { htmlText, readAtom, readJsonFeed, readRss } from '../../support/readers.ts'
import { ROOT, runScript, SLOW } from '../../support/scripts.ts'

/** `npm run import` as an author runs it: files in, articles out, a report, and never an overwrite. */

const SEED = join(ROOT, 'test/fixtures/seed-verbatim.txt')
const NAME =
  'south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments'
const TITLE =
  'South Korea May Send Military Personnel to Ukraine Amid Suspected North Korean Deployments – Yonhap'
const SOURCE =
  'https://www.themoscowtimes.com/2024/10/22/south-korea-may-send-military-personnel-to-ukraine-a-mid-suspected-north-korean-deployments-yonhap-a86767'

let folder: string
let seeds: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'import-'))
  seeds = join(folder, 'seeds')
  await mkdir(seeds)
  await copyFile(join(ROOT, 'test/fixtures/site/topics.yaml'), join(seeds, 'topics.yaml'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function importing(...args: string[]) {
  return runScript('import-articles.ts', [...args, '--seeds', seeds])
}

const REPORT = [
  `  title: ${TITLE} (from the # heading)`,
  '  date: 2024-10-22 (from the date line)',
  '  topics: South Korea, North Korea, Russia, Ukraine, War in Ukraine (from keywords in the title and first paragraphs)',
  '  summary: the first paragraph',
  '  image_caption: North Korean soldiers. (from the caption line)',
  '  image_credit: Uwe Brodrecht (CC BY-SA 2.0) (from the caption line)',
  `  source_url: ${SOURCE} (from the Original url line)`,
  "  source_name: themoscowtimes.com (from the URL's site)",
  '  body: 3 dead (#) links unwrapped; 1 "Related article" line without a URL removed',
]

describe('npm run import', SLOW, () => {
  it('imports the seed document into an article that builds, and reports file by file', async () => {
    const result = await importing(SEED)
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n')).toEqual([
      `[import] ${SEED}: imported as ${seeds}/${NAME}.md`,
      ...REPORT,
      `  npm run dev shows it at http://localhost:8787/articles/${NAME}/`,
      '[import] 1 file imported',
      '',
    ])
    expect((await readdir(seeds)).sort()).toEqual([`${NAME}.md`, 'topics.yaml'])
    const check = await runScript('check-content.ts', ['--seeds', seeds])
    expect(check).toMatchObject({
      code: 0,
      stdout: '[content] 1 article checked: 0 errors, 0 warnings\n',
    })
  })

  it('serves the imported article in feeds that keep its title, date, original URL and topics', async () => {
    expect((await importing(SEED)).code).toBe(0)
    const encoder = new TextEncoder()
    const files = await Promise.all(
      (await readdir(seeds)).map(async (path) => ({
        path,
        bytes: encoder.encode(await readFile(join(seeds, path), 'utf8')),
      })),
    )
    const compiled = compileContent(files)
    if (!compiled.ok) throw new Error(compiled.problems.map(formatProblem).join('\n'))
    const app = testApp(compiled.content, { now: Date.parse('2025-01-01T00:00:00Z') })

    const rss = readRss(await app.text('/rss.xml')).items![0]!
    const atom = readAtom(await app.text('/atom.xml')).entries![0]!
    const json = readJsonFeed(await app.text('/feed.json')).feed.items![0]!
    expect([rss.title, htmlText(atom.title!.value!), json.title]).toEqual([TITLE, TITLE, TITLE])
    expect(new Date(rss.pubDate!).toISOString()).toBe('2024-10-22T00:00:00.000Z')
    expect(atom.published).toBe('2024-10-22T00:00:00.000Z')
    expect(json.date_published).toBe('2024-10-22T00:00:00.000Z')
    expect(json.external_url).toBe(SOURCE)
    expect(atom.links).toContainEqual({ rel: 'related', href: SOURCE })
    expect(rss.atom?.links).toContainEqual({ rel: 'related', href: SOURCE })
    expect(json.tags).toEqual(['South Korea', 'North Korea', 'Russia', 'Ukraine', 'War in Ukraine'])
    expect(rss.link).toBe(`https://news.example.com/articles/${NAME}/`)

    const topicFeed = readRss(await app.text('/topics/war-in-ukraine/rss.xml'))
    expect(topicFeed.items?.map((item) => item.title)).toEqual([TITLE])
    expect(topicFeed.description).toBe(
      'The war Russia has waged against Ukraine since its full-scale invasion in February 2022, on the battlefield and in the capitals that arm, fund and fight it.',
    )
  })

  it('shows the result of a dry run without writing anything', async () => {
    const result = await importing('--dry-run', SEED)
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.slice(0, 10)).toEqual([
      `[import] ${SEED}: would be imported as ${seeds}/${NAME}.md`,
      ...REPORT,
    ])
    expect(lines.slice(10, 13)).toEqual(['', '---', `title: ${TITLE}`])
    expect(result.stdout).toContain('\n\n*AFP contributed reporting.*\n')
    expect(lines.slice(-2)).toEqual([
      '[import] 1 file would be imported; nothing was written (--dry-run)',
      '',
    ])
    expect(await readdir(seeds)).toEqual(['topics.yaml'])
  })

  it('never overwrites: the same original again is refused, and an existing file is left alone', async () => {
    expect((await importing(SEED)).code).toBe(0)
    const first = await readFile(join(seeds, `${NAME}.md`), 'utf8')
    const again = await importing(SEED)
    expect(again.code).toBe(1)
    expect(again.stdout.split('\n')).toEqual([
      `[import] ${SEED}: not imported`,
      `  [content] ${SEED}:39: source_url: the original is already imported, as ${NAME}.md. Edit that article instead, or remove it first to import this one again`,
      '[import] 0 files imported, 1 not',
      '',
    ])
    expect(await readFile(join(seeds, `${NAME}.md`), 'utf8')).toBe(first)

    // A file the build cannot read still has its name taken.
    await writeFile(join(seeds, 'harbour-reopens.md'), 'not an article')
    await writeFile(join(folder, 'harbour.txt'), '# Harbour reopens\n\nMay 1, 2024\n\nBody.\n')
    const clash = await importing(join(folder, 'harbour.txt'))
    expect(clash.code).toBe(1)
    expect(clash.stdout.split('\n')[0]).toBe(
      `[import] ${folder}/harbour.txt: not imported: ${seeds}/harbour-reopens.md already exists and was left as it was`,
    )
    expect(await readFile(join(seeds, 'harbour-reopens.md'), 'utf8')).toBe('not an article')
  })

  it('imports every article of a folder, reporting the ones it cannot', async () => {
    const inbox = join(folder, 'inbox')
    await mkdir(inbox)
    await writeFile(join(inbox, 'a.txt'), '\uFEFF# Alpha\r\n\r\nMay 1, 2024\r\n\r\nBody.\r\n')
    await writeFile(join(inbox, 'b.txt'), '# Beta\n\nBody without a date.\n')
    await writeFile(join(inbox, 'notes.json'), '{}')
    const result = await importing(inbox)
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')).toEqual([
      `[import] ${inbox}/a.txt: imported as ${seeds}/alpha.md`,
      '  title: Alpha (from the # heading)',
      '  date: 2024-05-01 (from the date line)',
      '  summary: the first paragraph',
      '  could not infer source_url, source_name: there is no "Original url:" line at the end',
      '  could not infer topics: no topic of topics.yaml is named in the title or first paragraphs',
      '  could not infer image_caption, image_credit: there is no caption line under the date',
      '  npm run dev shows it at http://localhost:8787/articles/alpha/',
      `[import] ${inbox}/b.txt: not imported`,
      `  [content] ${inbox}/b.txt:2: date: the article has no date. Add \`date: 2024-10-22\` to the front matter, or a date line like \`October 22, 2024\` under the title`,
      '[import] 1 file imported, 1 not',
      '',
    ])
    expect(await readFile(join(seeds, 'alpha.md'), 'utf8')).toBe(
      '---\ntitle: Alpha\ndate: 2024-05-01\nsummary: Body.\n---\n\nBody.\n',
    )
  })
})
