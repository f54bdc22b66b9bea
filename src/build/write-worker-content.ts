/**
 * Writes what the worker is deployed with: the static assets folder
 * ([assets] in wrangler.toml) — prerendered documents, packs and the newest
 * article pages — and returns the site index the worker bundle imports. See
 * src/build/prerender/prerender-site.ts for what is rendered, and
 * src/contract/ for the formats.
 *
 * Documents are rendered with the settings src/build/build-site-config.ts
 * reads. With SITE_URL empty, documents the worker serves carry a
 * placeholder origin it replaces per request, and plain article pages have
 * root-relative links.
 * A setting changed only in the Cloudflare dashboard reaches the documents
 * at the next deploy.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CompiledContent } from '../contract/compiled.ts'
import type { SiteIndex } from '../contract/site-index.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { headersFile } from './build-site-config.ts'
import { collectGarbage } from './collect-garbage.ts'
import { hashParts } from './compile-cache.ts'
import { codeOf } from './compile-code-version.ts'
import { fileStamp, sameStamp } from './file-stamp.ts'
import { assetFileCopier, assetFileWriter } from './prerender/asset-files.ts'
import { type FragmentCache, FragmentFile } from './prerender/fragment-file.ts'
import { KeptAssets } from './prerender/kept-assets.ts'
import { PackThread } from './prerender/pack-thread.ts'
import { prerenderSite } from './prerender/prerender-site.ts'
import { renderFragments } from './prerender/render-fragments.ts'
import { replaceAssets } from './prerender/replace-assets.ts'
import { type CopiedFile, copiedFileKey, type PublishedFile } from './published-file.ts'

/**
 * Checks that a seeds file just copied to `target` is still the one whose
 * facts the build read (its stamp): an image changed while the build ran
 * would otherwise go out with the old one's size and length in the feeds.
 */
function checkCopied(target: string, file: CopiedFile): void {
  const now = fileStamp(statSync(file.source, { bigint: true }))
  if (!sameStamp(now, file.stamp) || statSync(target).size !== file.stamp.size)
    throw new Error(
      `[content] ${file.source} changed while the build was reading it; build again to publish it as it is now`,
    )
}

/** Below this many articles, starting the pack thread costs more than it saves. */
const PACK_THREAD_FROM = 256

/**
 * Kept fragments are an article's item as the prerender's code renders it
 * with these settings (the origin is the site's or the placeholder), and
 * dates are written with the runtime's ICU data.
 */
function fragmentCache(folder: string, site: SiteConfig): FragmentCache {
  const code = codeOf(fileURLToPath(new URL('./prerender/prerender-site.ts', import.meta.url).href))
  return {
    folder,
    settings: hashParts(
      code.version,
      JSON.stringify(site),
      process.version,
      process.versions.icu ?? '',
    ),
  }
}

export interface WorkerContentSummary {
  /** What the worker bundle imports. */
  index: SiteIndex
  /** Article pages written as plain assets, and in packs. */
  pages: number
  packedPages: number
  /** Static asset files written, and their bytes. */
  files: number
  bytes: number
  /** The largest document a request can get, in bytes. */
  largestDocument: number
  /** Packs and plain article pages kept from the last build instead of made (see kept-assets.ts). */
  keptFiles: number
  /** Feed scopes kept whole from the last build, of all (see prerender/scope-memo.ts). */
  keptScopes: number
  scopes: number
}

/**
 * Writes the static assets folder (`assets`, see replace-assets.ts) for a build made
 * at `now`, and returns the site index. Spends the content: each article's
 * HTML is let go once its page and items are made (see releaseArticleHtml).
 */
export async function writeStaticAssets(
  content: CompiledContent,
  options: {
    assets: string
    site: SiteConfig
    now: number
    /** Other files to publish, by URL path (`/favicon.ico`): site icons, article images. */
    files?: ReadonlyMap<string, PublishedFile>
    /** A folder where item fragments are kept for the next build; absent, each build renders all. */
    fragmentCache?: string
    /**
     * Called with the staged folder, with every file the build made, just
     * before it goes into `assets`, and the files (URL paths) kept in `assets`.
     */
    beforeReplacing?: (staging: string, keptInPlace: ReadonlySet<string>) => Promise<void>
    /**
     * Built for the authoring preview: its wrangler dev watches `assets`, so a
     * file made again with the same bytes is left alone (see replace-assets.ts),
     * and its fast path rewrites article packs in place (see SiteIndex.preview).
     */
    preview?: boolean
  },
): Promise<WorkerContentSummary> {
  const staging = `${options.assets}.${process.pid}.tmp`
  await rm(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  writeFileSync(join(staging, '_headers'), headersFile(options.site))
  let files = 1
  let bytes = 0
  const writeAsset = assetFileWriter(staging)
  const copyAsset = assetFileCopier(staging)
  // Every item rendered on every core first (or taken from the last build), then the prerender.
  const fragments = new FragmentFile(
    options.fragmentCache ? fragmentCache(options.fragmentCache, options.site) : undefined,
  )
  try {
    if ((await renderFragments(content, options.site, fragments)) > 0) collectGarbage()
  } catch (error) {
    fragments.close()
    throw error
  }
  // Files are kept along with the fragments, under the same code and settings, by this build alone.
  const cache = fragments.keptIn
  const keeper = cache
    ? new KeptAssets({
        file: join(cache.folder, 'assets.json'),
        settings: cache.settings,
        assets: options.assets,
      })
    : undefined
  // Packs are compressed on a thread of their own while the prerender goes on, when there are
  // enough of them to pay for starting it (see pack-thread.ts).
  const packs =
    availableParallelism() > 1 && content.articles.length >= PACK_THREAD_FROM
      ? new PackThread(staging)
      : undefined
  let summary: ReturnType<typeof prerenderSite>
  try {
    summary = prerenderSite(content, {
      site: options.site,
      now: options.now,
      fragments,
      ...(keeper ? { assetKeeper: keeper } : {}),
      ...(packs ? { packWriter: packs } : {}),
      releaseContent: true,
      preview: options.preview ?? false,
      sink: (path, data) => {
        writeAsset(path, data)
        files++
        bytes += data.byteLength
      },
    })
  } catch (error) {
    // What stopped the prerender is the error to report, not the thread's stop.
    await packs?.close().catch(() => undefined)
    throw error
  }
  await packs?.close()
  files += packs?.files ?? 0
  bytes += packs?.bytes ?? 0
  const largestDocument = Math.max(summary.largestDocument, packs?.largest ?? 0)
  for (const [path, data] of options.files ?? []) {
    if (data instanceof Uint8Array) {
      writeAsset(path, data)
      files++
      bytes += data.byteLength
      continue
    }
    // A seeds file: the last build's copy stays in place while the file is the one it copied
    // (counted with the kept files below), otherwise it is copied again.
    const key = copiedFileKey(data)
    if (keeper?.reuse(path, key)) continue
    copyAsset(path, data.source)
    checkCopied(join(staging, path), data)
    keeper?.wrote(path, key, data.stamp.size, 0)
    files++
    bytes += data.stamp.size
  }
  const keptInPlace = keeper?.keptInPlace ?? new Set<string>()
  await options.beforeReplacing?.(staging, keptInPlace)
  await replaceAssets(staging, options.assets, keptInPlace, { watched: options.preview ?? false })
  keeper?.save()
  files += keeper?.kept ?? 0
  bytes += keeper?.keptBytes ?? 0
  return {
    index: summary.index,
    pages: summary.plainArticles,
    packedPages: summary.packedArticles,
    files,
    bytes,
    largestDocument,
    keptFiles: keeper?.kept ?? 0,
    keptScopes: summary.keptScopes,
    scopes: summary.scopes,
  }
}
