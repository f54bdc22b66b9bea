/**
 * `npm run check`: validates every article of seeds/ and the topic taxonomy
 * without building anything, with the very checks the build runs. Prints one
 * line per problem, `[content] file:line: field: problem. hint`, warnings
 * marked as such (grouped by kind past a screenful; `--all-warnings` prints
 * each), then a count. Exits 1 when there is an error; warnings
 * alone exit 0.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { formatProblem, sortProblems } from '../src/contract/problem.ts'
import { count } from './lib/count.ts'
import { formatWarnings, WARNING_LINES } from './lib/warning-summary.ts'
import { checkSeeds } from './seeds-folder.ts'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: process.env.CONTENT_SEEDS || 'seeds' },
    // Past WARNING_LINES warnings are grouped by kind; this prints each one.
    'all-warnings': { type: 'boolean', default: false },
  },
})

const { errors, warnings, articleFiles } = await checkSeeds(resolve(values.seeds), values.seeds)
const grouped = !values['all-warnings'] && warnings.length > WARNING_LINES
const lines = grouped
  ? [...sortProblems(errors).map(formatProblem), ...formatWarnings(warnings)]
  : sortProblems([...errors, ...warnings]).map(formatProblem)
for (const line of lines) console.log(line)
console.log(
  `[content] ${count(articleFiles, 'article')} checked: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}`,
)
process.exitCode = errors.length > 0 ? 1 : 0
