import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { AssetSink } from './document-store.ts'

/**
 * Writes static assets as files under `folder` (the assets folder being
 * made), creating each folder once. Asset paths are URL paths: slugs hold
 * only letters, digits and hyphens (see slugify), so each is a folder name as
 * it is, and the asset layer matches the decoded request path against it.
 * The prerender's sink and the pack thread both write through one.
 */
export function assetFileWriter(folder: string): AssetSink {
  const folders = new Set<string>()
  return (path, bytes) => {
    const file = join(folder, path)
    const parent = dirname(file)
    if (!folders.has(parent)) {
      mkdirSync(parent, { recursive: true })
      folders.add(parent)
    }
    writeFileSync(file, bytes)
  }
}
