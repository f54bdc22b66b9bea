import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ALL_FIELDS, compareEntries, type ReaderEntry } from '../compare-entries.ts'
import type { CheckResult, FeedFormat } from '../report.ts'
import { type Checker, expectedFor, runProcess, writeFeedFiles } from './context.ts'

/**
 * Go's gofeed (github.com/mmcdole/gofeed), the parser behind Go readers and
 * aggregators, reading all three formats with its universal parser. The small
 * program in gofeed/main.go is built at test time in GOPATH mode against
 * Debian's golang-github-mmcdole-gofeed-dev (and golang-go), offline: no
 * module proxy, no go.mod.
 */

const TOOL = 'gofeed'
const SOURCE = join(dirname(import.meta.filename), 'gofeed', 'main.go')
/** Where Debian installs the sources of Go packages. */
const DEBIAN_GOPATH = '/usr/share/gocode'
const FEED_TYPES: Record<FeedFormat, string> = { rss: 'rss', atom: 'atom', json: 'json' }

interface GofeedReport {
  url: string
  error?: string
  feedType: string
  title: string
  items: (Omit<ReaderEntry, 'published' | 'updated'> & {
    published: number | null
    updated: number | null
  })[]
}

/** Builds the reader into `folder` and returns the program's path. */
async function buildReader(folder: string): Promise<string> {
  const gopath = join(folder, 'gopath')
  const packageDir = join(gopath, 'src', 'gofeedreader')
  await mkdir(packageDir, { recursive: true })
  await copyFile(SOURCE, join(packageDir, 'main.go'))
  const program = join(folder, 'gofeed-reader')
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: `${gopath}:${DEBIAN_GOPATH}`,
    GOFLAGS: '',
    GOPROXY: 'off',
    ...(process.env.GOCACHE || process.env.HOME ? {} : { GOCACHE: join(folder, 'gocache') }),
  }
  const built = await runProcess('go', ['build', '-o', program, '.'], {
    env,
    cwd: packageDir,
    timeoutMs: 300_000,
  })
  if (built.code !== 0)
    throw new Error(
      `[readers] ${TOOL}: go build failed (needs the Debian packages golang-go and golang-github-mmcdole-gofeed-dev): ${built.stderr}`,
    )
  return program
}

export const checkWithGofeed: Checker = async (feeds, context) => {
  if (feeds.length === 0) return []
  const program = await buildReader(join(context.workDir, TOOL))
  const paths = await writeFeedFiles(join(context.workDir, TOOL, 'feeds'), feeds)
  const input = JSON.stringify(feeds.map((feed, index) => ({ url: feed.url, path: paths[index] })))
  const output = await runProcess(program, [], { input })
  if (output.code !== 0) throw new Error(`[readers] ${TOOL}: the reader failed: ${output.stderr}`)
  const reports = JSON.parse(output.stdout) as GofeedReport[]
  return feeds.map((feed, index): CheckResult => {
    const report = reports[index]!
    const expected = expectedFor(feed, context)
    const problems: string[] = []
    if ('missing' in expected) problems.push(expected.missing)
    if (report.error) problems.push(`parse error: ${report.error}`)
    else if (report.feedType !== FEED_TYPES[feed.format])
      problems.push(`feed type: expected ${FEED_TYPES[feed.format]}, got ${report.feedType}`)
    if (!('missing' in expected) && !report.error) {
      if (report.title !== expected.title)
        problems.push(
          `title: expected ${JSON.stringify(expected.title)}, got ${JSON.stringify(report.title)}`,
        )
      const entries = report.items.map((item) => ({
        ...item,
        published: item.published ?? Number.NaN,
        updated: item.updated ?? Number.NaN,
      }))
      problems.push(...compareEntries(expected, entries, ALL_FIELDS))
    }
    return { feed: feed.url, tool: TOOL, problems }
  })
}
