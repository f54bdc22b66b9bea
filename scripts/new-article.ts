/**
 * `npm run new -- "Title" [--topics a,b] [--date …]`: writes a new markdown
 * draft article into seeds/ with complete front matter and a slug no other
 * article has, and prints its path, how to publish it and the address
 * `npm run dev` then shows it at.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { draftNewArticle } from '../src/build/authoring/new-article.ts'
import { indexSeeds } from '../src/build/authoring/seeds-index.ts'
import { formatProblem } from '../src/contract/problem.ts'
import { readDevOrigin, readSeedsForAuthoring } from './seeds-folder.ts'

const USAGE = 'Usage: npm run new -- "Title" [--topics "Topic, Other"] [--date 2024-10-22]'

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      topics: { type: 'string' },
      date: { type: 'string' },
      seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' },
    },
  })
  const title = positionals.join(' ')
  if (!title.trim()) {
    console.error(`[new] title: no title was given. ${USAGE}`)
    return 1
  }
  const files = await readSeedsForAuthoring(values.seeds)
  const draft = draftNewArticle(
    {
      title,
      ...(values.topics === undefined
        ? {}
        : { topics: values.topics.split(',').filter((topic) => topic.trim()) }),
      ...(values.date === undefined ? {} : { date: values.date }),
      now: new Date(),
    },
    indexSeeds(files),
  )
  if (!draft.ok) {
    for (const error of draft.errors) console.error(`[new] ${error}`)
    return 1
  }
  const path = join(values.seeds, draft.fileName)
  // `wx`: never replace a file, even one written since the folder was read.
  await writeFile(path, draft.text, { flag: 'wx' })
  for (const warning of draft.warnings) {
    console.error(formatProblem({ ...warning, file: path }))
  }
  console.log(`[new] wrote ${path}, a draft: no build shows or publishes it`)
  console.log(
    `[new] to publish it, delete its \`draft: true\` line: \`npm run dev\` then shows it at ${await readDevOrigin()}/articles/${draft.slug}/ and \`npm run deploy\` publishes it`,
  )
  return 0
}

process.exitCode = await main()
