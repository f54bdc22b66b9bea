import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runScript, SLOW } from '../../support/scripts.ts'

/** `npm run new`: a new article, ready to write in, at a URL no other article has. */

let seeds: string

beforeEach(async () => {
  seeds = join(await mkdtemp(join(tmpdir(), 'new-article-')), 'seeds')
  await mkdir(seeds)
  await writeFile(
    join(seeds, 'topics.yaml'),
    'shipping:\n  name: Shipping\n  description: Ports and ships.\n  keywords: [harbour]\neconomy:\n  name: Economy\n  description: Money.\n',
  )
})
afterEach(async () => {
  await rm(join(seeds, '..'), { recursive: true, force: true })
})

function create(...args: string[]) {
  return runScript('new-article.ts', [...args, '--seeds', seeds])
}

const OPTIONAL = [
  '# summary: One or two sentences for feed readers.',
  '# author: Your Name',
  '# image: /images/photo.jpg',
  '# image_caption: What the picture shows',
  '# image_credit: Who made it (licence)',
  '# source_url: https://example.org/original-story',
  '# source_name: Example News',
]

/** The file `new` writes: the given front-matter lines, the optional fields commented out, a body to replace. */
function newFile(fields: readonly string[], comments: readonly string[] = []): string {
  return [
    '---',
    ...fields,
    '# Optional fields: remove the # to use one. See README.md, "Writing articles".',
    ...comments,
    ...OPTIONAL,
    '---',
    '',
    'Write the article here, in markdown.',
    '',
  ].join('\n')
}

describe('npm run new', SLOW, () => {
  it('writes complete front matter and prints the path and the preview URL', async () => {
    const result = await create(
      'Harbour reopens: “ships” are back',
      '--topics',
      'shipping, ECONOMY',
      '--date',
      '2024-10-22T09:30:00+03:00',
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(
      `[new] wrote ${seeds}/harbour-reopens-ships-are-back.md, a draft: no build shows or publishes it\n[new] to publish it, delete its \`draft: true\` line: \`npm run dev\` then shows it at http://localhost:8787/articles/harbour-reopens-ships-are-back/ and \`npm run deploy\` publishes it\n`,
    )
    expect(await readFile(join(seeds, 'harbour-reopens-ships-are-back.md'), 'utf8')).toBe(
      newFile([
        'title: "Harbour reopens: “ships” are back"',
        'date: 2024-10-22T09:30:00+03:00',
        'topics: [Shipping, Economy]',
        'draft: true',
      ]),
    )
    const check = await runScript('check-content.ts', ['--seeds', seeds])
    expect(check.code).toBe(0)
    expect(check.stdout).toContain('[content] 1 article checked: 0 errors, 1 warning')
    // The placeholder is published by no build, until the author deletes `draft: true`.
    const out = join(seeds, '..', 'out', 'content.js')
    const build = await runScript('build-content.ts', ['--seeds', seeds, '--out', out])
    expect(build.stdout).toContain('[content] 0 articles compiled (1 draft left out)')
  })

  it('gives a title that is taken a numbered slug, and takes dates in words', async () => {
    expect((await create('Harbour reopens', '--date', '2024-10-22')).code).toBe(0)
    const second = await create('Harbour reopens', '--date', 'Oct. 3, 2023')
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      'npm run dev` then shows it at http://localhost:8787/articles/harbour-reopens-2/',
    )
    expect(await readFile(join(seeds, 'harbour-reopens-2.md'), 'utf8')).toBe(
      newFile(
        ['title: Harbour reopens', 'date: 2023-10-03', 'slug: harbour-reopens-2', 'draft: true'],
        [
          '# topics: [A topic, Another]   (without it, topics come from the keywords in topics.yaml)',
        ],
      ),
    )
    expect((await readdir(seeds)).sort()).toEqual([
      'harbour-reopens-2.md',
      'harbour-reopens.md',
      'topics.yaml',
    ])
    // Both build, at different URLs.
    expect((await runScript('check-content.ts', ['--seeds', seeds])).code).toBe(0)
  })

  it('prints the address on the port npm run dev uses (DEV_PORT)', async () => {
    const result = await runScript(
      'new-article.ts',
      ['Harbour reopens', '--date', '2024-10-22', '--seeds', seeds],
      { DEV_PORT: '8799' },
    )
    expect(result.stdout).toContain('shows it at http://localhost:8799/articles/harbour-reopens/')
  })

  it('dates the article now when no date is given', async () => {
    const before = Date.now()
    expect((await create('Harbour reopens')).code).toBe(0)
    const text = await readFile(join(seeds, 'harbour-reopens.md'), 'utf8')
    const date = /^date: (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z)$/m.exec(text)?.[1]
    expect(date).toBeDefined()
    // Written to the minute: no later than now, and within the minute the command started in.
    expect(Date.parse(date!)).toBeGreaterThan(before - 60_000)
    expect(Date.parse(date!)).toBeLessThanOrEqual(Date.now())
  })

  it('warns about a topic the taxonomy lacks, suggesting the closest one', async () => {
    const result = await create('Harbour reopens', '--topics', 'Shiping', '--date', '2024-10-22')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      `[content] ${seeds}/harbour-reopens.md:4: warning: topics: topic "Shiping" is not in topics.yaml, so it has no description. Did you mean "Shipping"? Otherwise add \`shiping:\` with a name and a description to topics.yaml\n`,
    )
  })

  it('refuses a date that is not one, and a missing title, writing nothing', async () => {
    const badDate = await create('Harbour reopens', '--date', '2024-02-30')
    expect(badDate.code).toBe(1)
    expect(badDate.stderr).toBe(
      '[new] date: "2024-02-30" is not a day of the calendar. Use ISO 8601, like `--date 2024-10-22` or `--date 2024-10-22T09:30:00+03:00`, or `--date "October 22, 2024"`\n',
    )
    const noTitle = await create()
    expect(noTitle.code).toBe(1)
    expect(noTitle.stderr).toBe(
      '[new] title: no title was given. Usage: npm run new -- "Title" [--topics "Topic, Other"] [--date 2024-10-22]\n',
    )
    expect(await readdir(seeds)).toEqual(['topics.yaml'])
  })
})
