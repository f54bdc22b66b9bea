import { formatProblem, isError, type Problem } from '../contract/problem.ts'
import { markup } from './html.ts'

/**
 * The page `npm run dev` shows instead of the site while the articles have
 * errors: every problem, as the terminal prints it. It stands alone (inline
 * style, no feeds, no site settings) because the content it would draw on is
 * the thing that is broken.
 */
export function renderBuildProblemsPage(problems: readonly Problem[]): string {
  const errors = problems.filter(isError)
  const warnings = problems.filter((problem) => !isError(problem))
  const list = (items: readonly Problem[]) =>
    markup`<ol>${items.map((problem) => markup`<li><code>${formatProblem(problem)}</code></li>`)}</ol>`
  return `<!doctype html>\n${markup`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Articles have ${errors.length === 1 ? '1 error' : `${errors.length} errors`}</title>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { color: #a40000; }
li { margin-bottom: 0.75rem; }
code { white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
<main>
<h1>The articles have ${errors.length === 1 ? '1 error' : `${errors.length} errors`}</h1>
<p>The site keeps the last articles that built. Fix these and save: the preview builds again and this page goes away when they are gone.</p>
${list(errors)}
${warnings.length > 0 ? markup`<h2>Warnings</h2><p>These do not stop the build.</p>${list(warnings)}` : ''}
</main>
</body>
</html>`}\n`
}
