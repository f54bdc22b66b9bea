/**
 * The feed-reader conformance suite: builds the worker over a corpus, serves
 * it with `wrangler dev` on 127.0.0.1, finds every feed from the pages'
 * autodiscovery links, and checks each with independent readers, parsers and
 * validators against the compiled content. Run by `npm run test:readers`:
 *
 *   tsx test/readers/run-readers.ts --corpus seeds      # the articles in seeds/
 *   tsx test/readers/run-readers.ts --corpus hostile    # a generated hostile corpus
 *
 * Prints one line per problem (`[readers] URL: tool: problem`), a count per
 * tool, and `N passed, N failed`; writes the counts to
 * test-output/readers/<corpus>.json; exits 1 when any check fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
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
    // Defaults are in this suite's port range; the hostile run uses the next pair.
    port: { type: 'string' },
    'inspector-port': { type: 'string' },
  },
})

const CORPORA = {
  seeds: { port: 8730, siteTitle: 'Edge Feed Publisher' },
  // The site title is hostile too: it goes into every feed and page.
  hostile: { port: 8732, siteTitle: 'News & "Views" <b>]]></title> 🐟 שלום' },
} as const

const ITEM_LIMIT = 20
function log(message: string): void {
  console.log(`[readers] ${message}`)
}

/** Starts `wrangler dev` over the corpus and resolves once the home page answers. */
async function startWorker(
  seeds: string,
  ports: { port: number; inspector: number },
  siteTitle: string,
): Promise<ChildProcess> {
  const child = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(ports.port),
      '--inspector-port',
      String(ports.inspector),
      '--inspector-ip',
      '127.0.0.1',
      '--var',
      `FEED_ITEM_LIMIT:${ITEM_LIMIT}`,
      '--var',
      `SITE_TITLE:${siteTitle}`,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    {
      env: { ...process.env, CONTENT_SEEDS: seeds, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping it stops workerd too.
      detached: true,
    },
  )
  const output: string[] = []
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const answered = await fetch(`http://127.0.0.1:${ports.port}/`, {
      signal: AbortSignal.timeout(5_000),
    })
      .then((response) => response.status === 200)
      .catch(() => false)
    if (answered) return child
    await new Promise((done) => setTimeout(done, 500))
  }
  stopWorker(child)
  throw new Error(
    `[readers] wrangler dev did not answer on port ${ports.port}:\n${output.join('')}`,
  )
}

function stopWorker(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
}

async function main(): Promise<number> {
  const corpus = values.corpus as keyof typeof CORPORA
  const settings = CORPORA[corpus]
  if (!settings)
    throw new Error(
      `[readers] --corpus: ${JSON.stringify(values.corpus)} is not one of seeds, hostile`,
    )
  const port = Number(values.port ?? settings.port)
  const ports = { port, inspector: Number(values['inspector-port'] ?? port + 1) }
  const origin = `http://127.0.0.1:${port}`
  const workDir = await mkdtemp(join(tmpdir(), `readers-${corpus}-`))
  let seeds = 'seeds'
  if (corpus === 'hostile') {
    seeds = join(workDir, 'corpus')
    const made = await writeHostileCorpus(seeds)
    log(`hostile corpus: ${made.articles} articles, ${made.topics} topics, in a temporary folder`)
  }
  let worker: ChildProcess | undefined
  const results: CheckResult[] = []
  try {
    const content = await compileFolder(seeds)
    if (corpus === 'hostile') results.push(checkHostileCorpus(content))
    worker = await startWorker(seeds, ports, settings.siteTitle)
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
    if (worker) stopWorker(worker)
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
