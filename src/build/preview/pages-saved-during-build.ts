import { statSync } from 'node:fs'
import type { SiteConfig } from '../../site/site-config.ts'
import type { ListedFile } from '../compile-articles.ts'
import { RACY_MS } from '../file-stamp.ts'
import { refreshPublishedPage } from './quick-article-page.ts'

/**
 * The preview shows a saved article's page at once (quick-article-page.ts)
 * and leaves the rest to a build, which takes seconds on a large archive and
 * replaces the assets folder whole at its end. An article saved while a
 * build runs would have its page put back to what that build read, until
 * the next build: seconds in which the author sees the edit undone. So a
 * preview build, just before it replaces the folder, makes again in its
 * staged folder the pages of the article files changed since shortly before
 * it began — the same bytes the next build writes there, by the same rules
 * (a page the quick path would leave to the build is left to it here too).
 */

export interface SavedDuringBuild {
  /** The seeds folder, and its article files as the build listed them. */
  seeds: string
  files: readonly ListedFile[]
  /** When the build began (ms since the epoch). */
  since: number
  /** The staged assets folder, about to replace the live one. */
  staging: string
  /** The live assets folder, and the pages the build keeps there (see kept-assets.ts). */
  assets: string
  keptInPlace: ReadonlySet<string>
  /** The lock this build checked the articles against, where it will be and its text. */
  lock: string
  lockText: string
  site: SiteConfig
}

/** Refreshes, in the staged folder, the pages of articles saved during the build; their paths. */
export async function refreshPagesSavedDuringBuild(build: SavedDuringBuild): Promise<string[]> {
  // A stamp within the clock's coarsest tick of the start may be a save the build did not read.
  const after = build.since - RACY_MS
  const written: string[] = []
  for (const file of build.files) {
    const info = statSync(file.source, { throwIfNoEntry: false })
    if (!info || Math.max(info.mtimeMs, info.ctimeMs) < after) continue
    const outcome = await refreshPublishedPage(
      {
        seeds: build.seeds,
        file: file.path,
        assets: build.staging,
        lock: build.lock,
        site: build.site,
        now: Date.now(),
        kept: { folder: build.assets, paths: build.keptInPlace },
      },
      build.lockText,
    ).catch(() => undefined)
    if (outcome && 'written' in outcome) written.push(outcome.written)
  }
  return written
}
