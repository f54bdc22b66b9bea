/**
 * Site settings, read once from the worker's environment (`[vars]` in
 * wrangler.toml). Every setting has a default, so an empty environment serves.
 */
export interface SiteConfig {
  title: string
  description: string
  author: string
  /** BCP 47 language tag of the site, such as `en`. */
  language: string
  /** Origin the site is published at; when absent, the request's origin is used. */
  baseUrl?: string
  /** How many of the newest items a feed holds. */
  feedItemLimit: number
  /** Seconds readers and caches may keep a feed or page before asking again. */
  maxAge: number
  /** Largest size in bytes of a subscription document, in any format; older items go to archives. */
  feedByteBudget: number
  /** WebSub hub the feeds advertise and the publisher notifies, when configured. */
  hubUrl?: string
}

/**
 * The site's variables, as `[vars]` in wrangler.toml declares them: every
 * string of the generated `Env` (worker-configuration.d.ts, written by
 * `npm run cf-typegen`; CI fails when it is stale). All optional, so an empty
 * environment serves with the defaults.
 */
export type SiteEnv = Partial<{
  [Name in keyof Env as Env[Name] extends string ? Name : never]: string
}>

export const DEFAULT_SITE: SiteConfig = {
  title: 'Edge Feed Publisher',
  description: 'News articles, as feeds for every topic.',
  author: 'Edge Feed Publisher',
  language: 'en',
  feedItemLimit: 20,
  maxAge: 300,
  feedByteBudget: 262_144,
}

function positiveInteger(value: string | undefined, fallback: number, max: number): number {
  const parsed = Number(value)
  return Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, max) : fallback
}

function httpUrl(value: string | undefined): URL | undefined {
  if (!value?.trim()) return undefined
  try {
    const url = new URL(value.trim())
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}

/** Only an http(s) origin counts as a base URL: paths and queries cannot be routed here. */
function baseUrlFrom(value: string | undefined): string | undefined {
  return httpUrl(value)?.origin
}

/** Reads the site settings, falling back to defaults for anything unset or invalid. */
export function readSiteConfig(env: SiteEnv): SiteConfig {
  const baseUrl = baseUrlFrom(env.SITE_URL)
  const hubUrl = httpUrl(env.WEBSUB_HUB_URL)?.href
  return {
    title: env.SITE_TITLE?.trim() || DEFAULT_SITE.title,
    description: env.SITE_DESCRIPTION?.trim() || DEFAULT_SITE.description,
    author: env.SITE_AUTHOR?.trim() || DEFAULT_SITE.author,
    language: env.SITE_LANGUAGE?.trim() || DEFAULT_SITE.language,
    ...(baseUrl ? { baseUrl } : {}),
    feedItemLimit: positiveInteger(env.FEED_ITEM_LIMIT, DEFAULT_SITE.feedItemLimit, 500),
    maxAge: positiveInteger(env.CACHE_MAX_AGE, DEFAULT_SITE.maxAge, 86_400),
    // Below 16 kB not even one ordinary article fits; above 10 MB readers drop the feed.
    feedByteBudget: Math.max(
      16_384,
      positiveInteger(env.FEED_BYTE_BUDGET, DEFAULT_SITE.feedByteBudget, 10_000_000),
    ),
    ...(hubUrl ? { hubUrl } : {}),
  }
}
