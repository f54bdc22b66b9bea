/**
 * The content build as an author meets it, in a staged copy of the project:
 * cold (no build cache, no earlier output), warm with nothing changed, and
 * warm after editing one article. The command is the project's own
 * `build:content` script from package.json, run the way npm runs it (without
 * npm's own start-up), so the benchmark follows whatever the build becomes.
 */
import { execFile } from 'node:child_process'
import { cp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { delimiter, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { type CommandCost, measureCommand } from './measure-command.ts'
import { measureFolder } from './workerd-server.ts'

/**
 * What a build may keep between runs inside the project: the build cache and
 * the previous output. A cold build starts without any of them.
 */
export const BUILD_STATE = ['.cache', 'generated'] as const

/** Removes what a build keeps between runs, so the next build is cold. */
export async function removeBuildState(stage: string): Promise<void> {
  for (const entry of BUILD_STATE) await rm(join(stage, entry), { recursive: true, force: true })
}

/**
 * What a CI job that keeps the build state between runs meets (see
 * docs/running-and-deploying.md): the stage's `.cache/` and `generated/`
 * archived with tar, removed and restored, and `seeds` made again as a fresh
 * clone makes it: the same files at the same path, each one new. The
 * archive's format is `posix` by default, as `actions/cache` archives,
 * keeping times below the second; `gnu` (GNU tar's own) keeps whole seconds.
 * `signal` stops `tar` with the benchmark phase that runs it (see
 * time-bound.ts).
 */
export async function carryBuildState(
  stage: string,
  seeds: string,
  options: { signal?: AbortSignal; format?: 'posix' | 'gnu' } = {},
): Promise<void> {
  const { signal, format = 'posix' } = options
  const archive = `${stage}.build-state.tar`
  const run = (args: string[]) => promisify(execFile)('tar', args, { signal })
  try {
    await run([`--format=${format}`, '-C', stage, '-cf', archive, ...BUILD_STATE])
    await removeBuildState(stage)
    const fresh = `${seeds}.fresh`
    await rm(fresh, { recursive: true, force: true })
    await cp(seeds, fresh, { recursive: true })
    await rm(seeds, { recursive: true })
    await rename(fresh, seeds)
    signal?.throwIfAborted()
    await run(['-C', stage, '-xf', archive])
  } finally {
    await rm(archive, { force: true })
  }
}

/** Bytes of the build cache (`.cache/`) in the stage; null when the build keeps none there. */
export async function buildCacheBytes(stage: string): Promise<number | null> {
  const folder = join(stage, '.cache')
  if (!(await stat(folder).catch(() => null))) return null
  return (await measureFolder(folder)).bytes
}

/** Runs the project's `build:content` script over `seeds` in `stage`, measured. */
export async function runContentBuild(
  stage: string,
  seeds: string,
  options: { signal?: AbortSignal; maxRssBytes?: number } = {},
): Promise<CommandCost> {
  const scripts = (
    JSON.parse(await readFile(join(stage, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>
    }
  ).scripts
  const script = scripts?.['build:content']
  if (!script) throw new Error(`[bench] ${stage}/package.json: no build:content script`)
  return measureCommand('sh', ['-c', `${script} --quiet`], {
    cwd: stage,
    env: {
      ...process.env,
      PATH: `${join(stage, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
      CONTENT_SEEDS: seeds,
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxRssBytes ? { maxRssBytes: options.maxRssBytes } : {}),
  })
}

/** Article files of a folder (markdown and plain text), relative paths, sorted. */
export async function listArticleFiles(seeds: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(seeds, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(md|markdown|txt)$/i.test(entry.name))
      files.push(relative(seeds, join(entry.parentPath, entry.name)))
  }
  return files.sort()
}

/**
 * Edits one article the way an author does: `marker` added to the end of a
 * paragraph in the body (the first long line of prose after the front
 * matter), so the file's layout, its title and its trailer stay as they are.
 * Returns the file's path relative to `seeds`.
 */
export async function editArticle(seeds: string, file: string, marker: string): Promise<string> {
  const path = join(seeds, file)
  const lines = (await readFile(path, 'utf8')).split('\n')
  let from = 0
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---')
    from = end + 1
  }
  const prose = lines.findIndex(
    (line, index) => index >= from && line.length >= 80 && /^[\p{L}\p{N}]/u.test(line),
  )
  if (prose === -1) lines.push('', `Edited for the benchmark: ${marker}.`, '')
  else lines[prose] = `${lines[prose]} ${marker}.`
  await writeFile(path, lines.join('\n'))
  return file
}
