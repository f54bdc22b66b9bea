/**
 * A problem found in an article. The build collects every problem before it
 * fails, so an author fixes them all in one pass.
 */
export interface Problem {
  /** Path of the article, relative to the seeds folder. */
  file: string
  /** 1-based line in the file, when the problem has one. */
  line?: number
  /** The front-matter field or part of the article concerned. */
  field: string
  /** What is wrong, as one sentence. */
  message: string
  /** How to fix it, as one sentence. */
  hint: string
  /** Errors stop the build; warnings are printed and publish anyway. Absent means error. */
  severity?: 'error' | 'warning'
}

/**
 * Formats a problem as `[content] file:line: field: problem. hint`; a warning
 * says so after the place, as compilers do: `[content] file:line: warning: field: …`.
 */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`
  const severity = problem.severity === 'warning' ? 'warning: ' : ''
  return `[content] ${where}: ${severity}${problem.field}: ${problem.message}. ${problem.hint}`
}

/** True for problems that stop the build. */
export function isError(problem: Problem): boolean {
  return problem.severity !== 'warning'
}

/** Problems in reading order: by file, then line (problems without a line first), stable otherwise. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
  )
}

/** Thrown by the build when content has problems; carries all of them. */
export class ContentError extends Error {
  readonly problems: readonly Problem[]

  constructor(problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the articles:\n${problems.map(formatProblem).join('\n')}`,
    )
    this.name = 'ContentError'
    this.problems = problems
  }
}
