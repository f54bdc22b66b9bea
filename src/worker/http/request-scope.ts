import type { Context } from 'hono'
import type { SiteIndex } from '../../contract/site-index.ts'
import type { SiteConfig, SiteEnv } from '../../site/site-config.ts'
import type { DocumentReader, FetchAsset } from '../documents.ts'
import type { ResponseMemo } from './response-memo.ts'
import type { AssetsEnv } from './static-assets.ts'

/**
 * What every route knows about its request, computed once per request by
 * the app (see app.ts) and read as the Hono context variable `scope`.
 */
export interface RequestScope {
  index: SiteIndex
  /** The settings the documents were built with (the index's, not the request's environment). */
  site: SiteConfig
  /** The origin documents are served on: SITE_URL, or the request's own. */
  origin: string
  now: number
  /** The content view in force (see src/contract/site-index.ts). */
  view: number
  /** When the next future-dated article becomes due (ms), if any. */
  nextDue?: number
  reader: DocumentReader
  fetchAsset: FetchAsset
  /** The ASSETS binding, to answer for plain article pages; undefined when tests pass their own assets. */
  assetsEnv: AssetsEnv | undefined
  responses: ResponseMemo
}

/** The worker's Hono environment. */
export type AppEnv = {
  Bindings: SiteEnv & AssetsEnv
  Variables: { scope: RequestScope }
}

export type AppContext = Context<AppEnv>
