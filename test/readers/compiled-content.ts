import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { compileContent, type SourceFile } from '../../src/build/content/compile-content.ts'
import type { CompiledContent } from '../../src/contract/compiled.ts'
import { formatProblem } from '../../src/contract/problem.ts'

/**
 * The suite's source of truth: the articles of a corpus folder as the content
 * build compiles them, every article with its full HTML. (The worker bundle
 * keeps HTML only for the articles its subscription feeds show, so the
 * generated module is not used.) Nothing here renders a feed.
 */
export async function compileFolder(folder: string): Promise<CompiledContent> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  const files: SourceFile[] = []
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name)
    const shown = relative(folder, path).split(sep).join('/')
    // The build skips hidden files and folders; so does the truth.
    if (!entry.isFile() || shown.split('/').some((part) => part.startsWith('.'))) continue
    files.push({ path: shown, bytes: await readFile(path) })
  }
  const result = compileContent(files)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.content
}
