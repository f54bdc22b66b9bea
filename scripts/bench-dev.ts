/**
 * `npm run bench:dev`: edit → visible in the authoring preview. Starts
 * `npm run dev` on a free port of 127.0.0.1 in a staged copy of the project
 * whose seeds/ holds the corpus, finds the newest article from the site's
 * feed, adds a marker to a paragraph of its file, and polls its page until
 * the marker shows; `--edits` times. Bounded; stops the preview by itself.
 *
 *   npm run bench:dev -- [--articles 10000 [--topics 40] | --seeds DIR] [--edits 3]
 *                        [--startup-timeout 600] [--edit-timeout 60] [--out results]
 *
 * `npm run bench:build` runs the same measurement per corpus.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeCorpus } from './lib/bench-corpus.ts'
import { measureEditToVisible } from './lib/dev-edit.ts'
import { formatNumber, median, saveResults } from './lib/report.ts'
import { runBounded } from './lib/time-bound.ts'
import { stageProject } from './lib/workerd-server.ts'

const { values } = parseArgs({
  options: {
    articles: { type: 'string' },
    topics: { type: 'string', default: '40' },
    seeds: { type: 'string' },
    edits: { type: 'string', default: '3' },
    'startup-timeout': { type: 'string', default: '600' },
    'edit-timeout': { type: 'string', default: '60' },
    out: { type: 'string', default: 'results' },
  },
})

async function main(): Promise<number> {
  const edits = Number(values.edits)
  const startupTimeoutMs = Number(values['startup-timeout']) * 1000
  const editTimeoutMs = Number(values['edit-timeout']) * 1000
  const articles = values.articles === undefined ? undefined : Number(values.articles)
  for (const [name, value] of [
    ['edits', edits],
    ['startup-timeout', startupTimeoutMs],
    ['edit-timeout', editTimeoutMs],
    ['articles', articles ?? 1],
  ] as const) {
    if (!(Number.isInteger(value) && value > 0)) {
      console.error(`[bench:dev] --${name}: not a whole number above 0.`)
      return 2
    }
  }
  const work = await mkdtemp(join(tmpdir(), 'edge-feed-bench-dev-'))
  const stage = join(work, 'project')
  try {
    await stageProject(resolve('.'), stage)
    const seeds = join(stage, 'seeds')
    let label = 'seeds/'
    if (articles !== undefined) {
      await rm(seeds, { recursive: true, force: true })
      await writeCorpus(seeds, articles, Number(values.topics))
      label = `${articles} generated articles over ${values.topics} topics`
    } else if (values.seeds) {
      await rm(seeds, { recursive: true, force: true })
      await cp(resolve(values.seeds), seeds, { recursive: true })
      label = resolve(values.seeds)
    }
    console.log(`[bench:dev] npm run dev over ${label}, ${edits} edit(s)…`)
    const outcome = await runBounded(
      'npm run dev: edit → visible',
      // Each edit, of two articles, waits for its page and then for its build, then settles.
      startupTimeoutMs + 2 * edits * (2 * editTimeoutMs + 5_000),
      (signal) => measureEditToVisible({ stage, edits, startupTimeoutMs, editTimeoutMs, signal }),
    )
    let failed = 0
    if (!outcome.ok) {
      console.error(`[bench:dev] ${outcome.message}`)
      failed++
    } else {
      const shown = outcome.value.latenciesMs.filter((ms): ms is number => ms !== null)
      const inFeed = outcome.value.feedLatenciesMs.filter((ms): ms is number => ms !== null)
      const older = outcome.value.older.latenciesMs.filter((ms): ms is number => ms !== null)
      if (shown.length < edits || inFeed.length < edits || older.length < edits) failed++
      const list = (latencies: (number | null)[], done: number[]) =>
        `${latencies.map((ms) => (ms === null ? `not within ${editTimeoutMs / 1000} s` : `${formatNumber(ms)} ms`)).join(', ')}${done.length > 0 ? `; median ${formatNumber(median(done))} ms` : ''}`
      console.log(
        `[bench:dev] ${label}: npm run dev served its first page after ${formatNumber(outcome.value.startupMs / 1000, 2)} s; editing ${outcome.value.file}, watching ${outcome.value.page}`,
      )
      console.log(`[bench:dev] edit → visible: ${list(outcome.value.latenciesMs, shown)}`)
      console.log(
        `[bench:dev] edit → the site feed shows it: ${list(outcome.value.feedLatenciesMs, inFeed)}`,
      )
      console.log(
        `[bench:dev] an older article, ${outcome.value.older.file} (its page ${outcome.value.older.inPack ? 'in a pack' : 'a file of its own'}), edit → visible: ${list(outcome.value.older.latenciesMs, older)}`,
      )
      const saved = await saveResults(values.out, 'bench-dev', {
        kind: 'bench-dev',
        date: new Date().toISOString(),
        corpus: label,
        ...outcome.value,
        medianMs: shown.length > 0 ? median(shown) : null,
        feedMedianMs: inFeed.length > 0 ? median(inFeed) : null,
        olderMedianMs: older.length > 0 ? median(older) : null,
      })
      console.log(`[bench:dev] results written to ${saved}`)
    }
    console.log(`[bench:dev] harness checks: ${failed === 0 ? 1 : 0} passed, ${failed} failed`)
    return failed === 0 ? 0 : 1
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

process.exitCode = await main()
