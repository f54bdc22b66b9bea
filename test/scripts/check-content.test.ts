import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runScript, SLOW } from '../support/scripts.ts'

/** `npm run check`: every problem of the articles and the taxonomy, one line each, building nothing. */

let folder: string
let seeds: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'check-content-'))
  seeds = join(folder, 'seeds')
  await mkdir(seeds)
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

const TAXONOMY = 'economy:\n  name: Economy\n  description: Money.\n  keywords: [budget]\n'

describe('npm run check', SLOW, () => {
  it('prints one line per problem, errors and warnings in file order, and fails on errors', async () => {
    await writeFile(join(seeds, 'topics.yaml'), TAXONOMY)
    await writeFile(
      join(seeds, 'a.md'),
      '---\ntitle: Budget\ndate: 2024-01-01\ntopics: [Econmy]\n---\nThe budget.\n',
    )
    await writeFile(join(seeds, 'b.md'), '---\ntitle: B\ndate: 2024-02-30\n---\nBody\n')
    await writeFile(join(seeds, 'c.md'), '---\nTitle: C\ndate: 2024-01-01\n---\nBody\n')
    const result = await runScript('check-content.ts', ['--seeds', seeds])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(result.stdout.split('\n')).toEqual([
      `[content] ${seeds}/a.md:2: warning: summary: the article has no summary, so feeds show the start of its first paragraph. Add \`summary: …\` to the front matter with one or two sentences for feed readers`,
      `[content] ${seeds}/a.md:4: warning: topics: topic "Econmy" is not in topics.yaml, so it has no description. Did you mean "Economy"? Otherwise add \`econmy:\` with a name and a description to topics.yaml`,
      `[content] ${seeds}/b.md:3: date: "2024-02-30" is not a day of the calendar. Use ISO 8601, like \`2024-10-22\` (00:00 UTC) or \`2024-10-22T09:30:00+03:00\``,
      `[content] ${seeds}/c.md:2: Title: is not a known field. Did you mean \`title\`?`,
      '[content] 3 articles checked: 2 errors, 2 warnings',
      '',
    ])
  })

  it('names an article file with nothing but dots before its extension instead of skipping it (issue 14)', async () => {
    await writeFile(join(seeds, 'topics.yaml'), TAXONOMY)
    await writeFile(
      join(seeds, 'ok.md'),
      '---\ntitle: Ok\ndate: 2024-01-01\nsummary: S.\n---\nBody\n',
    )
    for (const name of ['..md', '...md', '.markdown']) {
      await writeFile(join(seeds, name), '---\ntitle: Lost\ndate: 2024-01-01\n---\nBody\n')
    }
    await writeFile(join(seeds, '.hidden-on-purpose.md'), 'not an article')
    const result = await runScript('check-content.ts', ['--seeds', seeds])
    expect(result.code).toBe(1)
    const lines = result.stdout.split('\n').filter((line) => line.includes('has no name'))
    expect(lines.sort()).toEqual(
      ['...md', '..md', '.markdown']
        .sort()
        .map(
          (name) =>
            `[content] ${seeds}/${name}: file: has no name before its extension, and a name that starts with a dot is hidden, so the build would skip it. Rename it after its title, like \`harbour-reopens.md\``,
        ),
    )
  })

  it('checks the taxonomy too', async () => {
    await writeFile(join(seeds, 'topics.yaml'), `${TAXONOMY}weather:\n  name: Weather\n`)
    const result = await runScript('check-content.ts', ['--seeds', seeds])
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')).toEqual([
      `[content] ${seeds}/topics.yaml:5: weather.description: is missing. Write one or two sentences about the topic, like \`description: News about South Korea.\``,
      '[content] 0 articles checked: 1 error, 0 warnings',
      '',
    ])
  })

  it('passes with warnings alone, and writes nothing', async () => {
    await writeFile(join(seeds, 'topics.yaml'), TAXONOMY)
    await writeFile(join(seeds, 'a.md'), '---\ntitle: Budget\ndate: 2024-01-01\n---\nThe budget.\n')
    const result = await runScript('check-content.ts', ['--seeds', seeds])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n').slice(1)).toEqual([
      '[content] 1 article checked: 0 errors, 1 warning',
      '',
    ])
    expect((await readdir(folder)).sort()).toEqual(['seeds'])
    expect((await readdir(seeds)).sort()).toEqual(['a.md', 'topics.yaml'])
  })

  it('passes on the test site, a copy of the shipped seeds, with nothing to say', async () => {
    const result = await runScript('check-content.ts', ['--seeds', 'test/fixtures/site'])
    expect(result).toEqual({
      code: 0,
      stdout: '[content] 1 article checked: 0 errors, 0 warnings\n',
      stderr: '',
    })
  })

  // The one test that reads seeds/, the user's articles: whatever they hold, they must build.
  it('finds no error in seeds/', async () => {
    const result = await runScript('check-content.ts', [])
    expect(result.stderr).not.toMatch(/^\[content\] .*: (?!warning: )/m)
    expect(result.stdout).toMatch(/^\[content\] \d+ articles? checked: 0 errors, /m)
    expect(result.code).toBe(0)
  })

  it('groups warnings by kind past a screenful, and prints each one with --all-warnings', async () => {
    await writeFile(join(seeds, 'topics.yaml'), TAXONOMY)
    for (let n = 1; n <= 25; n++) {
      const day = String(n).padStart(2, '0')
      await writeFile(
        join(seeds, `a${day}.md`),
        `---\ntitle: A ${n}\ndate: 2024-01-${day}\n---\nBody\n`,
      )
    }
    const grouped = await runScript('check-content.ts', ['--seeds', seeds])
    expect(grouped.code).toBe(0)
    expect(grouped.stdout.trim().split('\n')).toEqual([
      `[content] warning: 25 × summary: the article has no summary, so feeds show the start of its first paragraph. Add \`summary: …\` to the front matter with one or two sentences for feed readers (${seeds}/a01.md:2, ${seeds}/a02.md:2, ${seeds}/a03.md:2 and 22 more)`,
      '[content] 25 warnings of 1 kind, one line per kind; add --all-warnings to see each one',
      '[content] 25 articles checked: 0 errors, 25 warnings',
    ])
    const all = await runScript('check-content.ts', ['--seeds', seeds, '--all-warnings'])
    expect(all.stdout.trim().split('\n')).toHaveLength(26)
  })
})
