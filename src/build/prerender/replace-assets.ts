import {
  type BigIntStats,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { filesUnder } from '../files-under.ts'

/**
 * Putting a build's staged assets folder in place of the last build's, so
 * that no asset of an earlier build outlives it, file by file: files kept
 * from the last build stay where they are (see kept-assets.ts), the files
 * the build made are renamed over theirs, and the files the build no longer
 * makes are removed. After an edit that is a few renames, where moving the
 * whole folder would mean linking every kept file into the staged one
 * first, a folder for each plain article page among them.
 *
 * A folder something watches (the preview's: `wrangler dev` rescans it on
 * every change and stops the preview when a file or folder it listed is gone
 * when it reads it) is spared more: a file rendered to the same bytes as the
 * one there is left alone, so the watcher sees only what the build changed.
 * Other builds (deploys, CI, `npm run build:content`) do not compare: after
 * a change of code or settings that would read every pack twice.
 *
 * A build that stops half way through leaves a folder of both builds, and no
 * list of kept files or record of its inputs (see kept-assets.ts and
 * input-stamp.ts): the next build makes and puts every file.
 */

/** Replaces `assets` with `staging` whole: for a first build, with no folder yet. */
async function replaceWhole(staging: string, assets: string): Promise<void> {
  const previous = `${assets}.${process.pid}.old`
  await rename(assets, previous).catch(() => undefined)
  await rename(staging, assets)
  await rm(previous, { recursive: true, force: true })
}

/** Every file under `folder`, as paths relative to it. */
function filesIn(folder: string): string[] {
  return filesUnder(folder).map((path) => relative(folder, path))
}

function sameFile(a: BigIntStats, b: BigIntStats | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino
}

/**
 * Brings `assets` to what `staging` holds, and the files `kept` (URL paths,
 * like `/articles/a/index.html`) where they are, changing only what the
 * build made; `watched`, only what differs. See the module comment.
 */
export async function replaceAssets(
  staging: string,
  assets: string,
  kept: ReadonlySet<string> = new Set(),
  options: { watched?: boolean } = {},
): Promise<{ changed: number; removed: number }> {
  const live = statSync(assets, { throwIfNoEntry: false })
  if (!live?.isDirectory()) {
    await replaceWhole(staging, assets)
    return { changed: filesIn(assets).length, removed: 0 }
  }
  // What differs is found first, reading only; then every change is made in one burst. The
  // watcher rescans once a change is 100 ms old (wrangler's debounce), so a scan starts after
  // the burst instead of meeting a file removed half way through it.
  const staged = new Set([...kept].map((path) => join('.', path)))
  const changes: string[] = []
  for (const path of filesIn(staging)) {
    staged.add(path)
    if (options.watched && sameBytes(join(staging, path), join(assets, path))) continue
    changes.push(path)
  }
  const removals = filesIn(assets).filter((path) => !staged.has(path))
  const folders = new Set<string>()
  for (const path of changes) {
    const to = join(assets, path)
    const folder = dirname(path)
    if (!folders.has(folder)) {
      makeFolder(assets, folder)
      folders.add(folder)
    }
    try {
      renameSync(join(staging, path), to)
    } catch (error) {
      // A folder of the last build where this file now goes.
      if (!statSync(to, { throwIfNoEntry: false })?.isDirectory()) throw error
      rmSync(to, { recursive: true })
      renameSync(join(staging, path), to)
    }
  }
  for (const path of removals) {
    // A change above may have put a folder where the file was, or taken the file's folder.
    const file = join(assets, path)
    if (statSync(file, { throwIfNoEntry: false })?.isFile()) rmSync(file)
  }
  if (removals.length > 0) removeEmptyFolders(assets, assets)
  await rm(staging, { recursive: true, force: true })
  return { changed: changes.length, removed: removals.length }
}

/** Whether the staged file `from` is `to` (kept by a link) or has its bytes. */
function sameBytes(from: string, to: string): boolean {
  const made = statSync(from, { bigint: true })
  const there = statSync(to, { bigint: true, throwIfNoEntry: false })
  if (sameFile(made, there)) return true
  return (
    there?.isFile() === true &&
    there.size === made.size &&
    readFileSync(from).equals(readFileSync(to))
  )
}

/** Makes `folder` under `root`, where a file of the last build may stand in its way. */
function makeFolder(root: string, folder: string): void {
  let at = root
  for (const part of folder === '.' ? [] : folder.split(sep)) {
    at = join(at, part)
    const found = statSync(at, { throwIfNoEntry: false })
    if (found?.isDirectory()) continue
    if (found) rmSync(at)
    mkdirSync(at)
  }
}

/** Removes the folders under `folder` that hold no file, deepest first; keeps `root`. */
function removeEmptyFolders(folder: string, root: string): boolean {
  let empty = true
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory() && removeEmptyFolders(join(folder, entry.name), root)) continue
    empty = false
  }
  if (empty && folder !== root) rmdirSync(folder)
  return empty
}
