/**
 * The feed-reader conformance suite: builds the worker over a corpus, serves
 * it with `wrangler dev` on 127.0.0.1, finds every feed from the pages'
 * autodiscovery links, and checks each with independent readers, parsers and
 * validators against the compiled content. Run by `npm run test:readers`:
 *
 *   tsx test/readers/run-readers.ts --corpus seeds      # the articles in seeds/
 *   tsx test/readers/run-readers.ts --corpus hostile    # a generated hostile corpus
 *   tsx test/readers/run-readers.ts --seeds /tmp/corpus-10k   # any folder of articles,
 *                                                       # like one from `npm run corpus`
 *
 * Prints one line per problem (`[readers] URL: tool: problem`), a count per
 * tool, and `N passed, N failed`; writes the counts to
 * test-output/readers/<corpus>.json; exits 1 when any check fails.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startWranglerDev, type WranglerDev } from '../support/wrangler-dev.ts'
import type { CheckContext } from './checks/context.ts'
import { runProcess } from './checks/context.ts'
import { checkHttp, runCheckers } from './checks/run-checkers.ts'
import { compileFolder } from './compiled-content.ts'
import { discoverFeeds, fetchFeeds } from './discover-feeds.ts'
import { expectFeeds } from './expected-feeds.ts'
import { checkHostileCorpus, writeHostileCorpus } from './hostile-corpus.ts'
import { type CheckResult, countResults, formatFailures } from './report.ts'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'seeds' },
    // A folder of articles instead of a named corpus (reported as `folder`).
    seeds: { type: 'string' },
    // Defaults are in this suite's port range; the hostile run uses the next pair.
    port: { type: 'string' },
    'inspector-port': { type: 'string' },
  },
})

const CORPORA = {
  seeds: { port: 8730, siteTitle: 'Edge Feed Publisher' },
  // The site title is hostile too: it goes into every feed and page.
  hostile: { port: 8732, siteTitle: 'News & "Views" <b>]]></title> 🐟 שלום' },
  folder: { port: 8734, siteTitle: 'Edge Feed Publisher' },
} as const

const ITEM_LIMIT = 20
function log(message: string): void {
  console.log(`[readers] ${message}`)
}

async function main(): Promise<number> {
  const corpus = (values.seeds ? 'folder' : values.corpus) as keyof typeof CORPORA
  const settings = CORPORA[corpus]
  if (!settings)
    throw new Error(
      `[readers] --corpus: ${JSON.stringify(values.corpus)} is not one of seeds, hostile`,
    )
  const port = Number(values.port ?? settings.port)
  const ports = { port, inspector: Number(values['inspector-port'] ?? port + 1) }
  const origin = `http://127.0.0.1:${port}`
  const workDir = await mkdtemp(join(tmpdir(), `readers-${corpus}-`))
  let seeds = values.seeds ?? 'seeds'
  if (corpus === 'hostile') {
    seeds = join(workDir, 'corpus')
    const made = await writeHostileCorpus(seeds)
    log(`hostile corpus: ${made.articles} articles, ${made.topics} topics, in a temporary folder`)
  }
  let worker: WranglerDev | undefined
  const results: CheckResult[] = []
  try {
    const content = await compileFolder(seeds)
    if (corpus === 'hostile') results.push(checkHostileCorpus(content))
    worker = await startWranglerDev({
      seeds,
      port: ports.port,
      inspectorPort: ports.inspector,
      vars: { FEED_ITEM_LIMIT: String(ITEM_LIMIT), SITE_TITLE: settings.siteTitle },
      scope: 'readers',
    })
    const now = Date.now()
    log(`${corpus}: worker on ${origin}, ${content.articles.length} articles compiled`)
    const discovery = await discoverFeeds(origin)
    results.push(...discovery.results)
    const expected = expectFeeds(content, {
      origin,
      itemLimit: ITEM_LIMIT,
      now,
      siteTitle: settings.siteTitle,
    })
    for (const url of expected.keys())
      if (!discovery.feeds.some((feed) => feed.url === url))
        results.push({
          feed: url,
          tool: 'autodiscovery',
          problems: ['no page advertises this feed'],
        })
    const feeds = await fetchFeeds(discovery.feeds)
    const items = feeds.reduce((sum, feed) => sum + (expected.get(feed.url)?.items.length ?? 0), 0)
    log(
      `${feeds.length} feeds with ${items} items, discovered on ${discovery.results.length} pages`,
    )
    results.push(...checkHttp(feeds))
    const context: CheckContext = { expected, workDir }
    results.push(...(await runCheckers(feeds, context)))
  } finally {
    await worker?.stop()
    await rm(workDir, { recursive: true, force: true })
    // The hostile build replaced generated/content.js; put the seeds' build back.
    if (corpus !== 'seeds') await runProcess('npx', ['tsx', 'scripts/build-content.ts', '--quiet'])
  }
  return report(corpus, results)
}

async function report(corpus: string, results: readonly CheckResult[]): Promise<number> {
  const failures = results.flatMap(formatFailures)
  for (const line of failures.slice(0, 300)) console.error(line)
  if (failures.length > 300)
    console.error(
      `[readers] … and ${failures.length - 300} more in test-output/readers/${corpus}-problems.txt`,
    )
  const byTool = new Map<string, CheckResult[]>()
  for (const result of results)
    byTool.set(result.tool, [...(byTool.get(result.tool) ?? []), result])
  const tools: Record<string, { passed: number; failed: number }> = {}
  for (const [tool, list] of byTool) {
    tools[tool] = countResults(list)
    log(
      `${tool.padEnd(28)} ${String(tools[tool].passed).padStart(5)} passed, ${tools[tool].failed} failed`,
    )
  }
  const feeds = [
    ...new Set(results.filter((result) => result.tool === 'http').map((result) => result.feed)),
  ]
  const total = countResults(results)
  await mkdir('test-output/readers', { recursive: true })
  await writeFile(
    `test-output/readers/${corpus}-problems.txt`,
    failures.map((line) => `${line}\n`).join(''),
  )
  await writeFile(
    `test-output/readers/${corpus}.json`,
    `${JSON.stringify({ corpus, ...total, tools, feeds }, null, 2)}\n`,
  )
  console.log(`${corpus}: ${total.passed} passed, ${total.failed} failed`)
  return total.failed > 0 ? 1 : 0
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  return 1
})
