import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compareEntries, type ReaderEntry } from '../compare-entries.ts'
import type { CheckResult, ExpectedFeed, FetchedFeed } from '../report.ts'
import { type Checker, expectedFor, runProcess } from './context.ts'

/**
 * newsboat (Debian), a real terminal feed reader, run headless: it subscribes
 * to every RSS and Atom feed over HTTP with a throw-away config and cache,
 * reloads them all (`-x reload`), and its cache, a SQLite file, must then
 * hold every item with the right title, link, date and content.
 *
 * newsboat keeps one row per guid across all feeds, as a reader should (an
 * article in two subscribed feeds is one article), so feeds that share items
 * are reloaded in separate runs, each with its own cache.
 */

const TOOL = 'newsboat'
const PYTHON = process.env.READERS_PYTHON ?? '/usr/bin/python3'

// Reads the cache with Python's sqlite3 module; newsboat's schema: rss_feed and rss_item.
const DUMP_CACHE = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
feeds = [dict(zip(("rssurl", "title"), row)) for row in db.execute("SELECT rssurl, title FROM rss_feed")]
items = [dict(zip(("feedurl", "guid", "title", "url", "pubDate", "content"), row))
         for row in db.execute("SELECT feedurl, guid, title, url, pubDate, content FROM rss_item")]
json.dump({"feeds": feeds, "items": items}, sys.stdout)
`

interface CacheDump {
  feeds: { rssurl: string; title: string }[]
  items: {
    feedurl: string
    guid: string
    title: string
    url: string
    pubDate: number
    content: string
  }[]
}

/** Splits feeds into groups whose items never share an id. */
function groupWithoutSharedItems(
  feeds: readonly FetchedFeed[],
  expected: ReadonlyMap<string, ExpectedFeed>,
): FetchedFeed[][] {
  const groups: { feeds: FetchedFeed[]; ids: Set<string> }[] = []
  for (const feed of feeds) {
    const ids = (expected.get(feed.url)?.items ?? []).map((item) => item.id)
    let group = groups.find((candidate) => ids.every((id) => !candidate.ids.has(id)))
    if (!group) {
      group = { feeds: [], ids: new Set() }
      groups.push(group)
    }
    group.feeds.push(feed)
    for (const id of ids) group.ids.add(id)
  }
  return groups.map((group) => group.feeds)
}

async function reloadGroup(
  folder: string,
  feeds: readonly FetchedFeed[],
): Promise<{ dump: CacheDump; errors: string[] }> {
  await mkdir(folder, { recursive: true })
  const urls = join(folder, 'urls')
  const config = join(folder, 'config')
  const cache = join(folder, 'cache.db')
  const errorLog = join(folder, 'error.log')
  await writeFile(urls, feeds.map((feed) => `${feed.url}\n`).join(''))
  await writeFile(errorLog, '')
  await writeFile(
    config,
    [`error-log "${errorLog}"`, 'reload-threads 2', 'download-timeout 60', ''].join('\n'),
  )
  // HOME and XDG folders point into the scratch folder so nothing of the user's is read or written.
  const env = {
    ...process.env,
    HOME: folder,
    XDG_CONFIG_HOME: folder,
    XDG_DATA_HOME: folder,
    XDG_CACHE_HOME: folder,
  }
  const run = await runProcess(
    'newsboat',
    ['-u', urls, '-c', cache, '-C', config, '-x', 'reload'],
    { env, timeoutMs: 300_000 },
  )
  const errors = (await readFile(errorLog, 'utf8')).split('\n').filter((line) => line.trim())
  if (run.code !== 0) errors.push(`exited with ${run.code}: ${run.stderr.trim()}`)
  const dumped = await runProcess(PYTHON, ['-c', DUMP_CACHE, cache])
  if (dumped.code !== 0)
    throw new Error(`[readers] ${TOOL}: reading the cache failed: ${dumped.stderr}`)
  return { dump: JSON.parse(dumped.stdout) as CacheDump, errors }
}

function checkFeed(
  feed: FetchedFeed,
  expected: ExpectedFeed | { missing: string },
  dump: CacheDump,
  errors: readonly string[],
): string[] {
  if ('missing' in expected) return [expected.missing]
  const problems = errors
    .filter((line) => line.includes(feed.url))
    .map((line) => `reload: ${line.replace(/^\[[^\]]*\]\s*/, '')}`)
  const subscribed = dump.feeds.find((row) => row.rssurl === feed.url)
  if (!subscribed) return [...problems, 'cache: the feed is not in the cache after a reload']
  if (subscribed.title !== expected.title)
    problems.push(
      `feed title: expected ${JSON.stringify(expected.title)}, got ${JSON.stringify(subscribed.title)}`,
    )
  // The cache has no order of its own: entries are compared in the feed's order, by guid.
  const order = new Map(expected.items.map((item, index) => [item.id, index]))
  const entries: ReaderEntry[] = dump.items
    .filter((row) => row.feedurl === feed.url)
    .map((row) => ({
      id: row.guid,
      link: row.url,
      title: row.title,
      published: row.pubDate * 1000,
      contentHtml: row.content,
    }))
    .sort((a, b) => (order.get(a.id ?? '') ?? order.size) - (order.get(b.id ?? '') ?? order.size))
  problems.push(...compareEntries(expected, entries, ['link', 'title', 'published', 'contentHtml']))
  return problems
}

export const checkWithNewsboat: Checker = async (feeds, context) => {
  const xmlFeeds = feeds.filter((feed) => feed.format !== 'json')
  const groups = groupWithoutSharedItems(xmlFeeds, context.expected)
  const results: CheckResult[] = []
  for (const [index, group] of groups.entries()) {
    const { dump, errors } = await reloadGroup(join(context.workDir, `${TOOL}-${index}`), group)
    // A line that names no feed of the group (a crash, a config error) concerns all of them.
    const general = errors.filter((line) => !group.some((feed) => line.includes(feed.url)))
    for (const feed of group) {
      const problems = checkFeed(feed, expectedFor(feed, context), dump, errors)
      results.push({ feed: feed.url, tool: TOOL, problems: [...general, ...problems] })
    }
  }
  return results
}
