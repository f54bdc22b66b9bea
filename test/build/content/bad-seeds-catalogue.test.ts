import { execFile } from 'node:child_process'
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileContent, type SourceFile } from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'

/**
 * The catalogue of bad articles in test/fixtures/bad-seeds/: one file (or one
 * folder, for problems between two articles) per case, and expected.json
 * saying what each must give: either the exact lines an author sees, or the
 * exact article it compiles to once the hostile part is neutralised. Two
 * cases are made here instead of committed: a 5 MiB body, and a link out of
 * the seeds folder (a committed one would point at this machine).
 */

const CATALOGUE = new URL('../../fixtures/bad-seeds/', import.meta.url).pathname
const SCRIPT = new URL('../../../scripts/build-content.ts', import.meta.url).pathname
const TSX = new URL('../../../node_modules/.bin/tsx', import.meta.url).pathname
const run = promisify(execFile)

type Expectation =
  | { problems: string[] }
  | {
      article: {
        title: string
        slug: string
        contentHtml: string
        topics: string[]
        image?: { url: string; type: string }
      }
    }

const expected: Record<string, Expectation> = JSON.parse(
  await readFile(join(CATALOGUE, 'expected.json'), 'utf8'),
)

const HUGE_BODY = 'body-5mib.md'
const HUGE_BODY_PROBLEM = `[content] ${HUGE_BODY}: file: is 5.0 MiB; an article may be at most 1.0 MiB. Split it into several articles, and link images instead of embedding them as data: URLs`
const LINK_OUT = 'symlink-out-of-seeds.md'
const LINK_OUT_PROBLEM = `[content] ${LINK_OUT}: file: is a link to a file outside the seeds folder. Copy the article into the seeds folder instead of linking to it`

function hugeBody(): Uint8Array {
  const head = '---\ntitle: Five mebibytes\ndate: 2024-01-01\n---\n'
  return new TextEncoder().encode(head + 'All work and no play. '.repeat((5 * 1024 * 1024) / 22))
}

/** The files of one case, with paths relative to the catalogue as the build would show them. */
async function filesOf(name: string): Promise<SourceFile[]> {
  const path = join(CATALOGUE, name)
  if (!(await stat(path)).isDirectory()) return [{ path: name, bytes: await readFile(path) }]
  const inner = (await readdir(path)).sort()
  return Promise.all(
    inner.map(async (file) => ({
      path: `${name}/${file}`,
      bytes: await readFile(join(path, file)),
    })),
  )
}

function outcome(files: SourceFile[]): Expectation {
  const result = compileContent(files)
  if (!result.ok) return { problems: result.problems.map(formatProblem) }
  const [article] = result.content.articles
  if (!article) throw new Error('the case compiled to no article')
  return {
    article: {
      title: article.title,
      slug: article.slug,
      // Every article compiles with its HTML; only the worker's bundle may leave it out later.
      contentHtml: article.contentHtml ?? '',
      topics: article.topics.map((topic) => topic.name),
      ...(article.image ? { image: article.image } : {}),
    },
  }
}

const cases = (await readdir(CATALOGUE)).filter((name) => name !== 'expected.json').sort()

describe('the catalogue of bad articles', () => {
  it('has at least 30 cases, each with its expected outcome written down', () => {
    expect(cases.length + 2).toBeGreaterThanOrEqual(30)
    expect(cases).toEqual(Object.keys(expected).sort())
  })

  for (const name of cases) {
    const what = 'problems' in expected[name]! ? 'fails with exactly' : 'builds, neutralised, to'
    it(`${name} ${what} what expected.json says`, async () => {
      expect(outcome(await filesOf(name))).toEqual(expected[name])
    })
  }

  it(`${HUGE_BODY} is refused before it is decoded`, () => {
    expect(outcome([{ path: HUGE_BODY, bytes: hugeBody() }])).toEqual({
      problems: [HUGE_BODY_PROBLEM],
    })
  })
})

describe('the build over the whole catalogue', () => {
  let folder: string
  const seeds = () => join(folder, 'seeds')
  const out = () => join(folder, 'out/content.js')

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'bad-seeds-'))
    await mkdir(seeds())
    await writeFile(join(seeds(), 'good.md'), '---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n')
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  async function build(): Promise<{ code: number; stderr: string }> {
    try {
      await run(TSX, [SCRIPT, '--seeds', seeds(), '--out', out(), '--quiet'])
      return { code: 0, stderr: '' }
    } catch (error) {
      const failure = error as { code: number; stderr: string }
      return { code: failure.code, stderr: failure.stderr }
    }
  }

  it('reports every problem of every case at once and leaves the last good output untouched', async () => {
    expect((await build()).code).toBe(0)
    const good = await readFile(out(), 'utf8')
    const goodTime = (await stat(out())).mtimeMs

    await cp(CATALOGUE, seeds(), { recursive: true })
    await rm(join(seeds(), 'expected.json'))
    await writeFile(join(seeds(), HUGE_BODY), hugeBody())
    await writeFile(join(folder, 'outside.md'), '---\ntitle: Outside\ndate: 2024-01-01\n---\nNo.\n')
    await symlink(join(folder, 'outside.md'), join(seeds(), LINK_OUT))

    const result = await build()
    expect(result.code).toBe(1)
    // Warnings (a missing summary, an image without credit) are advice printed beside the problems,
    // grouped by kind past a screenful.
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((line) => !/^\[content\] (\S+: )?warning: |^\[content\] \d+ warnings of /.test(line))
    const summary = lines.pop()
    const wanted = [
      ...Object.values(expected).flatMap((entry) => ('problems' in entry ? entry.problems : [])),
      HUGE_BODY_PROBLEM,
      LINK_OUT_PROBLEM,
    ]
    // The build names files by the seeds folder it was given.
    const shown = lines.map((line) => line.replace(`[content] ${seeds()}/`, '[content] '))
    expect(shown.sort()).toEqual(wanted.sort())
    expect(summary).toMatch(
      new RegExp(`^\\[content\\] build failed: ${wanted.length} errors; .* was left as it was$`),
    )
    expect(await readFile(out(), 'utf8')).toBe(good)
    expect((await stat(out())).mtimeMs).toBe(goodTime)
  })
})
