/**
 * Writes the static assets the worker is deployed with ([assets] in
 * wrangler.toml) and picks the content its bundle keeps. See splitContent for
 * what goes where, and README.md (Benchmarks and scale) for why.
 *
 * Article pages are rendered here, once per build, with the [vars] of
 * wrangler.toml (an environment variable of the same name wins, so a CI build
 * can set SITE_URL). With SITE_URL empty their links are root-relative, so a
 * page means the same on whatever origin serves it, as the worker's own pages
 * (absolute on the request's origin) do.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse } from 'smol-toml'
import type { CompiledContent } from '../contract/compiled.ts'
import { renderArticlePage } from '../pages/article-page.ts'
import { ICON_PATHS } from '../site/icons.ts'
import { readSiteConfig, type SiteConfig, type SiteEnv } from '../site/site-config.ts'
import { HTML_CONTENT_SECURITY_POLICY } from '../worker/http/respond.ts'
import { contentChunkPath, splitContent } from './content/split-content.ts'

/** The settings the worker will run with, as far as the build can know them. */
export async function readBuildSiteConfig(wranglerToml: string): Promise<SiteConfig> {
  const text = await readFile(wranglerToml, 'utf8').catch(() => '')
  const vars = ((text ? parse(text) : {}) as { vars?: Record<string, unknown> }).vars ?? {}
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(vars)) env[name] = String(value)
  for (const name of Object.keys(env)) {
    const override = process.env[name]
    if (override !== undefined) env[name] = override
  }
  return readSiteConfig(env as SiteEnv)
}

/**
 * Headers of the static assets (Cloudflare's `_headers` file): what the
 * worker sends with its own pages, and the same lifetime.
 */
function headersFile(site: SiteConfig): string {
  const cacheControl = `public, max-age=${site.maxAge}`
  return `/articles/*
  Content-Security-Policy: ${HTML_CONTENT_SECURITY_POLICY}
  Referrer-Policy: strict-origin-when-cross-origin
  X-Content-Type-Options: nosniff
  Cache-Control: ${cacheControl}
/_content/*
  X-Content-Type-Options: nosniff
  Cache-Control: ${cacheControl}
${ICON_PATHS.map((path) => `${path}\n  X-Content-Type-Options: nosniff\n  Cache-Control: ${cacheControl}\n`).join('')}`
}

/** Pages rendered and written at a time: enough to keep the disk busy, few enough to bound memory. */
const PAGES_AT_ONCE = 64

export interface WorkerContentSummary {
  /** What the worker bundle imports (generated/content.js). */
  bundle: CompiledContent
  bundledArticles: number
  bundledWithHtml: number
  pages: number
  chunks: number
}

/**
 * Writes the static assets folder (`assets`, replaced whole) for a build made
 * at `now`, and returns the content the bundle keeps.
 */
export async function writeStaticAssets(
  content: CompiledContent,
  options: {
    assets: string
    site: SiteConfig
    now: number
    /** Other files to publish, by URL path (`/favicon.ico`): site icons, article images. */
    files?: ReadonlyMap<string, Uint8Array>
  },
): Promise<WorkerContentSummary> {
  const { bundle, pages, chunks } = splitContent(content, {
    now: options.now,
    feedItemLimit: options.site.feedItemLimit,
  })
  const origin = options.site.baseUrl ?? ''
  const staging = `${options.assets}.${process.pid}.tmp`
  await rm(staging, { recursive: true, force: true })
  await mkdir(join(staging, 'articles'), { recursive: true })
  await mkdir(join(staging, '_content'), { recursive: true })
  await writeFile(join(staging, '_headers'), headersFile(options.site))
  // Slugs hold only letters, digits and hyphens (see slugify), so each is a folder name as it is;
  // the asset layer matches the decoded request path against it.
  for (let start = 0; start < pages.length; start += PAGES_AT_ONCE) {
    await Promise.all(
      pages.slice(start, start + PAGES_AT_ONCE).map(async (article) => {
        const folder = join(staging, 'articles', article.slug)
        await mkdir(folder)
        await writeFile(
          join(folder, 'index.html'),
          renderArticlePage(options.site, origin, article),
        )
      }),
    )
  }
  for (const [month, chunk] of chunks) {
    await writeFile(join(staging, contentChunkPath(month)), JSON.stringify(chunk))
  }
  for (const [path, bytes] of options.files ?? []) {
    const file = join(staging, ...path.split('/').filter(Boolean))
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, bytes)
  }
  // Replace the folder whole, so no asset of an earlier build outlives it.
  const previous = `${options.assets}.${process.pid}.old`
  await rename(options.assets, previous).catch(() => undefined)
  await rename(staging, options.assets)
  await rm(previous, { recursive: true, force: true })
  return {
    bundle,
    bundledArticles: bundle.articles.length,
    bundledWithHtml: bundle.articles.filter((article) => article.contentHtml !== undefined).length,
    pages: pages.length,
    chunks: chunks.size,
  }
}
