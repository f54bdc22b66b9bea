import { readFile } from 'node:fs/promises'
import { parse } from 'smol-toml'
import { ICON_PATHS } from '../site/icons.ts'
import { readSiteConfig, type SiteConfig, type SiteEnv } from '../site/site-config.ts'
import { contentSecurityPolicy, LIVE_RELOAD_VARIABLE } from '../worker/http/live-reload.ts'

/**
 * The site's settings as a build reads them, and the static assets' headers
 * they give: what a build renders with, and part of what tells whether its
 * output is up to date (scripts/build-content.ts), so a module apart from
 * the prerender's, which a build with nothing to do does not load.
 *
 * Documents are rendered with the [vars] of wrangler.toml (an environment
 * variable of the same name wins, so a CI build can set SITE_URL).
 */

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
 * worker sends with its own pages, and the same lifetime. The policy is the
 * strict one except in a build for `npm run dev`, which names the live-reload
 * script's hash (see src/worker/http/live-reload.ts).
 */
export function headersFile(site: SiteConfig): string {
  const cacheControl = `public, max-age=${site.maxAge}`
  return `/articles/*
  Content-Security-Policy: ${contentSecurityPolicy(process.env[LIVE_RELOAD_VARIABLE])}
  Referrer-Policy: strict-origin-when-cross-origin
  X-Content-Type-Options: nosniff
  Cache-Control: ${cacheControl}
${ICON_PATHS.map((path) => `${path}\n  X-Content-Type-Options: nosniff\n  Cache-Control: ${cacheControl}\n`).join('')}`
}
