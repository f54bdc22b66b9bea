/**
 * `npm run check`: validates every article of seeds/ and the topic taxonomy
 * without building anything, with the very checks the build runs. Prints one
 * line per problem, `[content] file:line: field: problem. hint`, warnings
 * marked as such, then a count. Exits 1 when there is an error; warnings
 * alone exit 0.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { formatProblem, sortProblems } from '../src/contract/problem.ts'
import { checkSeeds, count } from './seeds-folder.ts'

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' } },
})

const { errors, warnings, articleFiles } = await checkSeeds(resolve(values.seeds), values.seeds)
for (const problem of sortProblems([...errors, ...warnings])) console.log(formatProblem(problem))
console.log(
  `[content] ${count(articleFiles, 'article')} checked: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}`,
)
process.exitCode = errors.length > 0 ? 1 : 0
