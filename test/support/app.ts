import { type PrerenderOptions, prerenderSite } from '../../src/build/prerender/prerender-site.ts'
import type { CompiledContent } from '../../src/contract/compiled.ts'
import type { SiteIndex } from '../../src/contract/site-index.ts'
import { openSiteIndex, splitSiteIndex } from '../../src/contract/site-index-module.ts'
import { readSiteConfig, type SiteEnv } from '../../src/site/site-config.ts'
import type { FetchAsset } from '../../src/worker/documents.ts'
import { createApp } from '../../src/worker/http/app.ts'

export const SITE_ENV: SiteEnv = {
  SITE_URL: 'https://news.example.com',
  SITE_TITLE: 'Example Times',
  SITE_DESCRIPTION: 'Stories from the example coast.',
  SITE_AUTHOR: 'Example Times Desk',
  SITE_LANGUAGE: 'en-GB',
}

/** A prerendered site in memory: the index and a FetchAsset over the files the build wrote. */
export interface PrerenderedFixture {
  index: SiteIndex
  files: Map<string, Uint8Array>
  assets: FetchAsset
}

/** The prerender's options a fixture may set (see PrerenderOptions). */
export type FixtureOptions = Pick<
  PrerenderOptions,
  'plainArticles' | 'articlesPerPack' | 'pagesPerPack' | 'preview'
>

/** Runs the content build's prerender over some content, as a build at `now` with `env` would. */
export function prerenderFixture(
  content: CompiledContent,
  now: number,
  env: SiteEnv = SITE_ENV,
  options: FixtureOptions = {},
): PrerenderedFixture {
  const files = new Map<string, Uint8Array>()
  const { index } = prerenderSite(content, {
    site: readSiteConfig(env),
    now,
    sink: (path, bytes) => files.set(path, bytes),
    // Article pages from packs, served by the worker with its headers; a deploy keeps the
    // newest as plain files that Cloudflare serves itself (see test/worker/http/static-assets.test.ts).
    plainArticles: 0,
    ...options,
  })
  const assets: FetchAsset = async (path) => {
    // As the ASSETS binding does, a folder's path serves its index.html.
    const file = files.get(path.endsWith('/') ? `${decodeURIComponent(path)}index.html` : path)
    return file
      ? new Response(file, { headers: { 'Content-Type': 'text/html; charset=utf-8' } })
      : new Response('Not found', { status: 404 })
  }
  return { index, files, assets }
}

/**
 * The worker app over some content, prerendered at the clock's time with
 * `env` (settings are read at build time, as on a deploy), with a clock the
 * test controls afterwards.
 */
export function testApp(
  content: CompiledContent,
  clock: { now: number },
  env: SiteEnv = SITE_ENV,
  options: FixtureOptions = {},
) {
  return appOver(prerenderFixture(content, clock.now, env, options), clock, env)
}

/**
 * A worker app over a prerendered fixture, as a fresh isolate of the deployed
 * worker: two apps over one fixture share its files and nothing else (a test
 * of a large archive prerenders it once).
 */
export function appOver(
  fixture: PrerenderedFixture,
  clock: { now: number },
  env: SiteEnv = SITE_ENV,
) {
  // The index as a deployed worker opens it: split into the bundle's two modules and joined again.
  const { module, topics } = splitSiteIndex(fixture.index)
  const index = openSiteIndex(module, topics)
  const app = createApp({ index, assets: fixture.assets, now: () => clock.now })
  return {
    fixture,
    app,
    fetch(path: string, init: RequestInit = {}): Promise<Response> {
      return Promise.resolve(app.request(`https://news.example.com${path}`, init, env))
    },
    async text(path: string, init: RequestInit = {}): Promise<string> {
      const response = await app.request(`https://news.example.com${path}`, init, env)
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
      return response.text()
    },
  }
}
