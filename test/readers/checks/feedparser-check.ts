import { dirname, join } from 'node:path'
import { ALL_FIELDS, compareEntries, type ReaderEntry, textContent } from '../compare-entries.ts'
import type { CheckResult } from '../report.ts'
import { type Checker, expectedFor, runProcess, writeFeedFiles } from './context.ts'

/**
 * Python's feedparser, the parser behind many readers and aggregators
 * (Debian's python3-feedparser). Version 6.0 reads RSS and Atom; JSON Feed
 * support came later, so JSON feeds are left to the other tools.
 */

const TOOL = 'feedparser'
const SCRIPT = join(dirname(import.meta.filename), 'read-with-feedparser.py')
// Debian's interpreter, where python3-feedparser is installed, whatever else is on PATH.
const PYTHON = process.env.READERS_PYTHON ?? '/usr/bin/python3'

/** What the Python side reports for one feed. */
interface FeedparserReport {
  url: string
  bozo: boolean
  bozoException: string | null
  version: string
  documentEntries: number
  entries: (Omit<ReaderEntry, 'published'> & {
    published: number | null
    titleType: string | null
  })[]
}

const VERSIONS = { rss: 'rss20', atom: 'atom10' } as const

export const checkWithFeedparser: Checker = async (feeds, context) => {
  const xmlFeeds = feeds.filter((feed) => feed.format !== 'json')
  if (xmlFeeds.length === 0) return []
  const paths = await writeFeedFiles(join(context.workDir, TOOL), xmlFeeds)
  const input = JSON.stringify(
    xmlFeeds.map((feed, index) => ({
      url: feed.url,
      path: paths[index],
      contentType: feed.contentType,
    })),
  )
  const output = await runProcess(PYTHON, [SCRIPT], { input })
  if (output.code !== 0) throw new Error(`[readers] ${TOOL}: the script failed: ${output.stderr}`)
  const reports = JSON.parse(output.stdout) as FeedparserReport[]
  return xmlFeeds.map((feed, index): CheckResult => {
    const report = reports[index]!
    const expected = expectedFor(feed, context)
    const problems: string[] = []
    if ('missing' in expected) problems.push(expected.missing)
    if (report.bozo) problems.push(`bozo: ${report.bozoException}`)
    const version = VERSIONS[feed.format as 'rss' | 'atom']
    if (report.version !== version)
      problems.push(`version: expected ${version}, got ${JSON.stringify(report.version)}`)
    if (report.documentEntries !== report.entries.length)
      problems.push(
        `entries: the document holds ${report.documentEntries}, feedparser read ${report.entries.length}`,
      )
    if (!('missing' in expected)) {
      const entries = report.entries.map(({ titleType, ...entry }) => ({
        ...entry,
        // An HTML title (Atom type="html") is shown rendered: its text is what a reader sees.
        title: titleType === 'text/html' ? textContent(entry.title ?? '') : entry.title,
        published: entry.published ?? Number.NaN,
      }))
      problems.push(...compareEntries(expected, entries, ALL_FIELDS))
    }
    return { feed: feed.url, tool: TOOL, problems }
  })
}
