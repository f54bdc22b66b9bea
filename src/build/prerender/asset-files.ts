import { constants, copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { AssetSink } from './document-store.ts'

/**
 * Where a static asset goes under `folder` (the assets folder being made),
 * its folder created once. Asset paths are URL paths: slugs hold only
 * letters, digits and hyphens (see slugify), so each is a folder name as it
 * is, and the asset layer matches the decoded request path against it.
 */
function assetPlacer(folder: string): (path: string) => string {
  const folders = new Set<string>()
  return (path) => {
    const file = join(folder, path)
    const parent = dirname(file)
    if (!folders.has(parent)) {
      mkdirSync(parent, { recursive: true })
      folders.add(parent)
    }
    return file
  }
}

/**
 * Writes static assets as files under `folder`. The prerender's sink and the
 * pack thread both write through one.
 */
export function assetFileWriter(folder: string): AssetSink {
  const place = assetPlacer(folder)
  return (path, bytes) => writeFileSync(place(path), bytes)
}

/**
 * Copies files of the seeds folder (the articles' pictures) into `folder` as
 * static assets, as the file system copies them (a clone where it has them):
 * their bytes never pass through the build.
 */
export function assetFileCopier(folder: string): (path: string, source: string) => void {
  const place = assetPlacer(folder)
  return (path, source) => copyFileSync(source, place(path), constants.COPYFILE_FICLONE)
}
