import { formatProblem, type Problem, sortProblems } from '../../src/contract/problem.ts'
import { count } from './count.ts'

/**
 * Warnings as the terminal shows them. A screenful (WARNING_LINES) is
 * printed line by line; past that, one line per kind of warning with how many
 * files have it and the first few places, so a large corpus's 3,000 warnings
 * read as the handful of things to fix. `--all-warnings` prints every line.
 */

/** The most warning lines printed one by one before they are grouped by kind. */
export const WARNING_LINES = 20

/** The flag of `npm run check` and `npm run build:content` that prints every warning. */
export const ALL_WARNINGS_FLAG = '--all-warnings'

/** How many places a grouped line names. */
const EXAMPLES = 3

/** What kind of warning: its field and message, with the article's own words (quoted, numbers) taken out. */
function kindOf(problem: Problem): string {
  const message = problem.message.replace(/"[^"]*"|`[^`]*`|\d+(?:[.,]\d+)*/g, '…')
  return `${problem.field}: ${message}`
}

function place(problem: Problem): string {
  return problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`
}

/** The lines to print for these warnings, in reading order or grouped by kind, most frequent first. */
export function formatWarnings(
  warnings: readonly Problem[],
  options: { all?: boolean } = {},
): string[] {
  const sorted = sortProblems(warnings)
  if (options.all || sorted.length <= WARNING_LINES) return sorted.map(formatProblem)
  const kinds = new Map<string, Problem[]>()
  for (const warning of sorted) {
    const kind = kindOf(warning)
    const group = kinds.get(kind)
    // Appended in place: copying the group for each warning took 9 s for 100,000 articles' 60,000.
    if (group) group.push(warning)
    else kinds.set(kind, [warning])
  }
  const grouped = [...kinds.values()].sort((a, b) => b.length - a.length)
  return [
    ...grouped.map((group) => {
      const first = group[0]!
      const places = group.slice(0, EXAMPLES).map(place).join(', ')
      const more = group.length > EXAMPLES ? ` and ${group.length - EXAMPLES} more` : ''
      return `[content] warning: ${group.length} × ${first.field}: ${first.message}. ${first.hint} (${places}${more})`
    }),
    `[content] ${count(sorted.length, 'warning')} of ${count(grouped.length, 'kind')}, one line per kind; add ${ALL_WARNINGS_FLAG} to see each one`,
  ]
}
