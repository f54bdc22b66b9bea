/**
 * `npm run import -- FILE_OR_FOLDER… [--dry-run]`: converts articles saved in
 * the plain-text layout into markdown articles in seeds/, and reports, file
 * by file, what it inferred and what it could not. It never replaces a file;
 * `--dry-run` prints the articles instead of writing them. Exits 1 when a
 * file could not be imported.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { importArticle } from '../src/build/authoring/import-article.ts'
import { indexSeeds } from '../src/build/authoring/seeds-index.ts'
import { ARTICLE_EXTENSIONS } from '../src/build/content/compile-content.ts'
import { formatProblem } from '../src/contract/problem.ts'
import { count } from './lib/count.ts'
import { readDevOrigin, readSeeds, readSeedsForAuthoring } from './seeds-folder.ts'

const USAGE = 'Usage: npm run import -- FILE_OR_FOLDER… [--dry-run]'

/** The article files named on the command line, folders opened, in name order within each. */
async function collectInputs(
  paths: readonly string[],
): Promise<{ shown: string; bytes: Uint8Array }[]> {
  const inputs: { shown: string; bytes: Uint8Array }[] = []
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const files = await readSeeds(path, [])
      for (const file of files.sort((a, b) => (a.path < b.path ? -1 : 1))) {
        if (ARTICLE_EXTENSIONS.some((extension) => file.path.toLowerCase().endsWith(extension))) {
          inputs.push({ shown: join(path, file.path), bytes: file.bytes })
        }
      }
    } else {
      inputs.push({ shown: path, bytes: await readFile(path) })
    }
  }
  return inputs
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' },
    },
  })
  if (positionals.length === 0) {
    console.error(`[import] no file or folder was given. ${USAGE}`)
    return 1
  }
  const dryRun = values['dry-run']
  const index = indexSeeds(await readSeedsForAuthoring(values.seeds))
  const inputs = await collectInputs(positionals)
  let imported = 0
  for (const input of inputs) {
    const result = importArticle(input.shown, input.bytes, index)
    if (!result.ok) {
      console.log(`[import] ${input.shown}: not imported`)
      for (const problem of result.problems) console.log(`  ${formatProblem(problem)}`)
      continue
    }
    const target = join(values.seeds, result.fileName)
    if (!dryRun) {
      try {
        // `wx`: never replace a file, even one that appeared since the folder was read.
        await writeFile(target, result.text, { flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        console.log(
          `[import] ${input.shown}: not imported: ${target} already exists and was left as it was`,
        )
        continue
      }
    }
    imported++
    console.log(
      `[import] ${input.shown}: ${dryRun ? 'would be imported as' : 'imported as'} ${target}`,
    )
    for (const line of result.report.inferred) console.log(`  ${line}`)
    for (const line of result.report.missing) console.log(`  could not infer ${line}`)
    for (const warning of result.warnings) console.log(`  ${formatProblem(warning)}`)
    if (dryRun) console.log(`\n${result.text}`)
    else console.log(`  npm run dev shows it at ${await readDevOrigin()}/articles/${result.slug}/`)
  }
  const failed = inputs.length - imported
  console.log(
    `[import] ${count(imported, 'file')} ${dryRun ? 'would be imported' : 'imported'}${failed > 0 ? `, ${failed} not` : ''}${dryRun ? '; nothing was written (--dry-run)' : ''}`,
  )
  return failed > 0 ? 1 : 0
}

process.exitCode = await main()
