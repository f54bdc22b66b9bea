import type { CompiledArticle } from '../../contract/compiled.ts'
import { archiveList } from '../../contract/pack.ts'
import {
  type DocumentRef,
  FRAGMENT_KINDS,
  type FragmentKind,
  type ItemRef,
  type ScopeState,
} from '../../contract/site-index.ts'
import {
  archivePage,
  type FeedHistory,
  planFeedHistory,
  subscriptionPage,
} from '../../feeds/feed-history.ts'
import {
  buildFeedModel,
  type FeedModel,
  type FeedPage,
  type FeedSource,
} from '../../feeds/feed-model.ts'
import { frameItemIndex } from '../../feeds/feed-package.ts'
import { type RenderFeedOptions, renderFeed } from '../../feeds/render-feed.ts'
import { renderFeedPage } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH } from '../../pages/feed-stylesheet.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { utf8Length } from '../../site/text.ts'
import { FEED_FORMATS, FEED_MEDIA_TYPES, type FeedFormat, type FeedScope } from '../../site/urls.ts'
import { ARCHIVE_MAX_AGE } from '../../worker/http/cache-policy.ts'
import { hashParts } from '../compile-cache.ts'
import { htmlLength } from '../html-store.ts'
import type { DocumentStore } from './document-store.ts'
import { FragmentFile } from './fragment-file.ts'
import {
  carriedArticle as carriedArticleOf,
  carriesContentOf,
  FRAGMENT_SEPARATORS,
  FRAGMENT_SLOTS,
  fragmentKey,
  locateFragments,
  PROBE_ARTICLE,
  renderItemFragments,
  singleItemSpan,
} from './fragments.ts'
import type { PagedPacks } from './paged-packs.ts'

/**
 * Prerendering one feed scope (the site or a topic) at one view: its
 * subscription documents in every format with their HTML pages, the item
 * fragments filtered feeds are joined from, and its archive pages — the open
 * one as a document, closed ones into packs.
 */

/** Articles an archive page holds at most; fewer when the byte budget says so. */
export const ARCHIVE_PAGE_SIZE = 100

/** What a scope is, for its documents. */
export interface ScopeInfo {
  scope: FeedScope
  /** Place in the index's topic list; undefined for the site. */
  topic?: number
  name?: string
  description?: string
}

/** Shared by every scope of a build. */
export interface FeedBuild {
  site: SiteConfig
  origin: string
  store: DocumentStore
  packs: PagedPacks
  /**
   * Renders every feed document whole through the `feed` package instead of
   * joining item fragments: the reference the joined documents are proven
   * byte-identical to (test/build/prerender/joined-feeds.test.ts). Slow.
   */
  wholeDocuments?: boolean
}

/** What a scope carries from one view to the next. */
export interface ScopeMemory {
  /** Articles in archive pages at the last view: never fewer later, so closed pages stay closed. */
  archived: number
  /** The open archive page at the last view (pages before it are already packed). */
  openPage: number
}

const HTML = 'text/html; charset=utf-8'

// Every article's fragments are kept for the whole build, in a scratch file (fragment-file.ts):
// each feed document is joined from them, so an item is rendered once per kind however many
// documents hold it.
let fragmentFile: FragmentFile | undefined
/**
 * Each article as feeds carry it (see item-budget.ts), and each carried
 * article's item sizes: by the article itself, not its id, as a lookup by
 * the object is two to three times faster, and every scope an article is in
 * asks for both.
 */
const carried = new Map<CompiledArticle, CompiledArticle>()
const measured = new Map<CompiledArticle, readonly number[]>()
const encoder = new TextEncoder()
const SEPARATOR_BYTES = Object.fromEntries(
  FRAGMENT_KINDS.map((kind) => [kind, encoder.encode(FRAGMENT_SEPARATORS[kind])]),
) as Record<FragmentKind, Uint8Array>

function feedSource(
  info: ScopeInfo,
  articles: readonly CompiledArticle[],
  page: FeedPage,
): FeedSource {
  return {
    scope: info.scope,
    ...(info.name ? { topicName: info.name } : {}),
    ...(info.description ? { topicDescription: info.description } : {}),
    articles,
    page,
  }
}

function stylesheetOf(build: FeedBuild): { stylesheet: string } {
  return { stylesheet: `${build.origin}${FEED_STYLESHEET_PATH}` }
}

function hubOf(build: FeedBuild, scope: FeedScope): { hub?: string } {
  return build.site.hubUrl && scope.kind !== 'filter' ? { hub: build.site.hubUrl } : {}
}

/** The article as feeds carry it (see fragments.ts), once per build. */
function carriedArticle(build: FeedBuild, article: CompiledArticle): CompiledArticle {
  let known = carried.get(article)
  if (!known) {
    known = carriedArticleOf(build.site, build.origin, article)
    carried.set(article, known)
  }
  return known
}

/** The build's fragment file, opened on first use. */
function fragments(): FragmentFile {
  fragmentFile ??= new FragmentFile()
  return fragmentFile
}

/**
 * Gives the build a fragment file opened beforehand: one kept between builds
 * (see fragment-file.ts), perhaps already holding every article's fragments.
 * The build closes it.
 */
export function useFragmentFile(file: FragmentFile): void {
  fragmentFile?.close()
  fragmentFile = file
}

/**
 * Puts an article's items in the fragment file, once per build: taken from
 * an earlier build's when the file keeps them, otherwise rendered.
 */
function storeFragments(build: FeedBuild, article: CompiledArticle): void {
  const file = fragments()
  if (file.has(article.id)) return
  const carriedNow = carriedArticle(build, article)
  const key = fragmentKey(carriedNow)
  if (file.take(article.id, key, FRAGMENT_SLOTS)) return
  file.put(article.id, renderItemFragments(build.site, build.origin, carriedNow), key)
}

/**
 * What an article's HTML becomes once released: any content, so that the
 * writer still sees an item that carries some (see releaseArticleHtml).
 */
const RELEASED_HTML = '<p></p>'

/**
 * Lets go of every article's HTML, the largest part of a build's memory
 * (about 1 GB at 100,000 articles), once its pages are written: every item
 * is put in the fragment file first, as feeds carry the article, and from
 * then on a feed document takes its items from there and only its frame
 * from the writer. The frame shows one thing about an item, whether it
 * carries content (frameItemIndex), so the HTML is replaced by a stand-in
 * that answers the same; that answer was kept with the item's fragments
 * (CARRIES_CONTENT_SLOT), so the HTML is not read back for it. The articles
 * are changed in place: the caller's content is spent.
 */
export function releaseArticleHtml(build: FeedBuild, articles: readonly CompiledArticle[]): void {
  for (const article of articles) {
    const carriedNow = carriedArticle(build, article)
    storeFragments(build, article)
    const carries = carriesContentOf((slot) => fragments().length(article.id, slot))
    const stand = carries ? RELEASED_HTML : ''
    // Its length, not its HTML: reading the HTML back from the store would cost a read of its file.
    if (htmlLength(article) !== undefined) article.contentHtml = stand
    if (carriedNow !== article && carriedNow.contentHtml !== undefined)
      carried.set(article, { ...carriedNow, contentHtml: stand })
  }
}

/** An article's item in one kind of document, as UTF-8. */
function fragmentOf(build: FeedBuild, article: CompiledArticle, kind: FragmentKind): Uint8Array {
  storeFragments(build, article)
  return fragments().get(article.id, FRAGMENT_KINDS.indexOf(kind))
}

/** A feed document's bytes, and where each of its items is in them. */
interface JoinedFeed {
  bytes: Uint8Array
  ranges: [number, number][]
}

/**
 * A feed document: its items' fragments joined into its frame, the document
 * rendered by the adapter around one of its items, cut where that item is.
 * Items render the same alone and together (the joined-feeds test compares
 * whole renders), and the frame is the model's own, so the bytes are the
 * whole document's. The fragments are read from the fragment file straight
 * into the document.
 */
function joinFeed(
  build: FeedBuild,
  model: FeedModel,
  articles: readonly CompiledArticle[],
  format: FeedFormat,
  options: RenderFeedOptions,
): JoinedFeed {
  if (build.wholeDocuments || model.items.length === 0) {
    const bytes = encoder.encode(renderFeed(model, format, options))
    const fragments = articles.map((article) => fragmentOf(build, article, format))
    return { bytes, ranges: locateFragments(bytes, fragments) }
  }
  const probe = model.items[frameItemIndex(model, format)]!
  const frame = renderFeed({ ...model, items: [probe] }, format, options)
  const [start, end] = singleItemSpan(format, frame)
  const head = encoder.encode(frame.slice(0, start))
  const tail = encoder.encode(frame.slice(end))
  const separator = SEPARATOR_BYTES[format]
  const kind = FRAGMENT_KINDS.indexOf(format)
  const file = fragments()
  let total = head.byteLength + tail.byteLength + separator.byteLength * (articles.length - 1)
  for (const article of articles) {
    storeFragments(build, article)
    total += file.length(article.id, kind)
  }
  const bytes = Buffer.allocUnsafe(total)
  bytes.set(head, 0)
  let at = head.byteLength
  const ranges: [number, number][] = []
  for (const [i, article] of articles.entries()) {
    if (i > 0) {
      bytes.set(separator, at)
      at += separator.byteLength
    }
    const length = file.readInto(article.id, kind, bytes, at)
    ranges.push([at, at + length])
    at += length
  }
  bytes.set(tail, at)
  return { bytes, ranges }
}

/** Byte length of an article's item in each feed format (FEED_FORMATS order). */
function sizesOf(build: FeedBuild, article: CompiledArticle): readonly number[] {
  let known = measured.get(article)
  if (!known) {
    storeFragments(build, article)
    const file = fragments()
    known = FEED_FORMATS.map((format) => file.length(article.id, FRAGMENT_KINDS.indexOf(format)))
    measured.set(article, known)
  }
  return known
}

/** Forgets what was measured and removes the fragment file: after a build, and before one. */
export function clearItemMemo(): void {
  carried.clear()
  measured.clear()
  fragmentFile?.close()
  fragmentFile = undefined
}

/** Bytes of a document of `page` around its items, per format, with the longest links it can have. */
function frameSizes(build: FeedBuild, info: ScopeInfo, page: FeedPage, extra: object): number[] {
  return FEED_FORMATS.map((format) => {
    const model = buildFeedModel(build.site, build.origin, {
      ...feedSource(info, [PROBE_ARTICLE], page),
      ...extra,
    })
    const document = renderFeed(
      model,
      format,
      page.kind === 'subscription' ? stylesheetOf(build) : {},
    )
    const [start, end] = singleItemSpan(format, document)
    return utf8Length(document) - utf8Length(document.slice(start, end))
  })
}

function fitsWith(
  build: FeedBuild,
  frame: number[],
  articles: readonly CompiledArticle[],
): boolean {
  const totals = [...frame]
  for (const article of articles) {
    const sizes = sizesOf(build, article)
    for (let f = 0; f < totals.length; f++) totals[f]! += sizes[f]!
  }
  return FEED_FORMATS.every((format, f) => {
    const separators = FRAGMENT_SEPARATORS[format].length * Math.max(0, articles.length - 1)
    return totals[f]! + separators <= build.site.feedByteBudget
  })
}

/** Frames measured once per scope. */
export interface ScopeFrames {
  subscription: number[]
  archive: number[]
}

export function measureFrames(build: FeedBuild, info: ScopeInfo): ScopeFrames {
  const big = 999_999_998
  return {
    subscription: frameSizes(
      build,
      info,
      { kind: 'subscription', olderPage: big },
      hubOf(build, info.scope),
    ),
    archive: frameSizes(
      build,
      info,
      { kind: 'archive', page: big, olderPage: big - 1, newerPage: big + 1 },
      { ttlSeconds: ARCHIVE_MAX_AGE },
    ),
  }
}

/** Plans a scope's history at one view, never archiving fewer articles than before. */
export function planScope(
  build: FeedBuild,
  frames: ScopeFrames,
  visible: readonly CompiledArticle[],
  memory: ScopeMemory,
): FeedHistory {
  const limit = Math.min(visible.length, build.site.feedItemLimit)
  let count = 1
  while (count < limit && fitsWith(build, frames.subscription, visible.slice(0, count + 1))) count++
  count = Math.min(count, Math.max(0, visible.length - memory.archived))
  if (visible.length === 0) count = 0
  return planFeedHistory(visible, count, {
    pageSize: ARCHIVE_PAGE_SIZE,
    budget: {
      frame: frames.archive,
      separator: FEED_FORMATS.map((format) => FRAGMENT_SEPARATORS[format].length),
      limit: build.site.feedByteBudget,
      itemSizes: (article) => sizesOf(build, article),
    },
  })
}

/**
 * What a closed archive page's bytes follow from, the code and settings
 * aside: the scope, the page's place and links, and each item's fragment key
 * (which stands for the article as the feed carries it, and so for the
 * frame too). Undefined when an item has no key.
 */
function archiveKey(
  info: ScopeInfo,
  history: FeedHistory,
  number: number,
  format: FeedFormat,
): string | undefined {
  const page = history.pages[number - 1]!
  const parts = [
    JSON.stringify(info),
    format,
    JSON.stringify(archivePage(number, history.pages.length)),
    String(page.closed),
  ]
  for (const article of page.articles) {
    const key = fragments().keyOf(article.id)
    if (key === undefined) return undefined
    parts.push(key)
  }
  return hashParts(...parts)
}

function archiveDocument(
  build: FeedBuild,
  info: ScopeInfo,
  history: FeedHistory,
  number: number,
  format: FeedFormat,
): { text: Uint8Array; type: string; modified: Date } {
  const page = history.pages[number - 1]!
  const model = buildFeedModel(build.site, build.origin, {
    ...feedSource(info, page.articles, archivePage(number, history.pages.length)),
    ...(page.closed ? { ttlSeconds: ARCHIVE_MAX_AGE } : {}),
  })
  return {
    text: joinFeed(build, model, page.articles, format, {}).bytes,
    type: `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
    modified: model.updated,
  }
}

/** Prerenders a scope at one view. */
export function prerenderScope(
  build: FeedBuild,
  info: ScopeInfo,
  frames: ScopeFrames,
  visible: readonly CompiledArticle[],
  memory: ScopeMemory,
  topicIndexOf: (slug: string) => number,
): ScopeState {
  const { site, origin, store } = build
  const history = planScope(
    build,
    frames,
    visible.map((article) => carriedArticle(build, article)),
    memory,
  )
  const source = {
    ...feedSource(info, history.current, subscriptionPage(history)),
    ...hubOf(build, info.scope),
  }
  const model = buildFeedModel(site, origin, source)
  const feeds = {} as Record<FeedFormat, DocumentRef>
  const pages = {} as Record<FeedFormat, DocumentRef>
  const ranges = {} as Record<FragmentKind, [number, number][]>
  for (const format of FEED_FORMATS) {
    const joined = joinFeed(build, model, history.current, format, stylesheetOf(build))
    ranges[format] = joined.ranges
    feeds[format] = store.add({
      text: joined.bytes,
      type: `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
      modified: model.updated,
    })
    const page = encoder.encode(
      renderFeedPage(site, origin, {
        model,
        scope: info.scope,
        format,
        label: info.name ?? 'All articles',
      }),
    )
    if (format === 'rss') {
      ranges.html = locateFragments(
        page,
        history.current.map((article) => fragmentOf(build, article, 'html')),
      )
    }
    pages[format] = store.add({ text: page, type: HTML, modified: model.updated })
  }
  const items: ItemRef[] = history.current.map((article, i) => ({
    id: article.id,
    published: Date.parse(article.published),
    ...(article.updated && article.updated > article.published
      ? { updated: Date.parse(article.updated) }
      : {}),
    topics: article.topics.map((topic) => topicIndexOf(topic.slug)),
    ranges: FRAGMENT_KINDS.map((kind) => ranges[kind][i]!),
  }))
  // Archive pages: closed ones into packs (once: they never change), the open one as a document.
  const count = history.pages.length
  let openArchive: Record<FeedFormat, DocumentRef> | undefined
  for (let number = Math.max(1, memory.openPage); number <= count; number++) {
    const closed = history.pages[number - 1]!.closed
    const refs = {} as Record<FeedFormat, DocumentRef>
    for (const format of FEED_FORMATS) {
      const key = closed ? archiveKey(info, history, number, format) : undefined
      const list = archiveList(info.topic, format)
      if (key !== undefined) {
        const type = `${FEED_MEDIA_TYPES[format]}; charset=utf-8`
        const render = () => archiveDocument(build, info, history, number, format)
        build.packs.add(list, number, { key, type, render })
        continue
      }
      const document = archiveDocument(build, info, history, number, format)
      if (closed) build.packs.add(list, number, document)
      else refs[format] = store.add(document)
    }
    if (!closed) openArchive = refs
  }
  memory.archived = visible.length - history.current.length
  memory.openPage = Math.max(1, count)
  return {
    feeds,
    pages,
    items,
    complete: history.current.length === visible.length,
    archivePages: count,
    ...(openArchive ? { openArchive } : {}),
  }
}
