import {
  type CompiledArticle,
  type CompiledContent,
  ORIGIN_PLACEHOLDER,
} from '../../contract/compiled.ts'
import { archiveList, articlePackPath, topicPagesList } from '../../contract/pack.ts'
import {
  type DocumentRef,
  type ScopeState,
  SITE_INDEX_FORMAT,
  type SiteIndex,
  type TopicIndex,
  type Variants,
} from '../../contract/site-index.ts'
import { OPML_MEDIA_TYPE, renderOpml } from '../../feeds/render-opml.ts'
import { teaserOf } from '../../pages/article-list.ts'
import { renderArticlePage } from '../../pages/article-page.ts'
import { renderFeedStylesheet } from '../../pages/feed-stylesheet.ts'
import { renderHomePage } from '../../pages/home-page.ts'
import { renderNotFoundPage } from '../../pages/not-found-page.ts'
import {
  renderTopicPage,
  renderTopicsPage,
  TOPIC_PAGE_SIZE,
  TOPICS_PER_PAGE,
  topicEntry,
} from '../../pages/topic-pages.ts'
import {
  articleModified,
  latestOf,
  renderRobotsTxt,
  renderSitemap,
  renderSitemapIndex,
  SITEMAP_PART_SIZE,
  sitemapArticle,
  sitemapPages,
} from '../../site/crawlers.ts'
import { createPublisher, type PublishedView } from '../../site/published.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { FEED_FORMATS, FEED_MEDIA_TYPES, sitemapPartUrl } from '../../site/urls.ts'
import { hashParts } from '../compile-cache.ts'
import { articleDigest } from '../html-store.ts'
import {
  type AssetKeeper,
  type AssetSink,
  type DocumentInput,
  DocumentStore,
  type KeyedInput,
  type PackWriter,
} from './document-store.ts'
import {
  clearItemMemo,
  type FeedBuild,
  measureFrames,
  prerenderScope,
  releaseArticleHtml,
  type ScopeInfo,
  type ScopeMemory,
  useFragmentFile,
} from './feed-scope.ts'
import { renderFilterTemplates } from './filter-templates.ts'
import type { FragmentFile } from './fragment-file.ts'
import { PagedPacks } from './paged-packs.ts'
import { ScopeMemo } from './scope-memo.ts'

/**
 * The content build's last step: every document a request can get, per
 * content view, as final bytes with validators, and the small index the
 * worker routes by (see src/contract/site-index.ts). Pure apart from the
 * sink, so tests run it inside workerd over their own fixtures.
 */

export interface PrerenderOptions {
  site: SiteConfig
  /** When the build runs (ms): articles dated later are scheduled. */
  now: number
  sink: AssetSink
  /** Newest article pages written as plain public assets, served without the worker. */
  plainArticles?: number
  /** Article pages per pack, on average. */
  articlesPerPack?: number
  /** Closed pages per pack. */
  pagesPerPack?: number
  /** Feed documents rendered whole, not joined from fragments: the tests' reference (see FeedBuild). */
  wholeDocuments?: boolean
  /**
   * Lets go of each article's HTML once its page and items are made, changing
   * the content's articles in place (see releaseArticleHtml): for a build that
   * does not use the content afterwards.
   */
  releaseContent?: boolean
  /**
   * The fragment file to use, opened by the caller: one kept between builds,
   * perhaps filled on every core beforehand (see render-fragments.ts). The
   * prerender closes it. Absent, a scratch file.
   */
  fragments?: FragmentFile
  /**
   * Keeps closed archive packs from an earlier build whose pages would come
   * out the same (see kept-assets.ts); absent, every pack is made.
   */
  assetKeeper?: AssetKeeper
  /** Built for the authoring preview, which rewrites article packs in place (see SiteIndex.preview). */
  preview?: boolean
  /** Where packs go instead of the sink (see pack-thread.ts). */
  packWriter?: PackWriter
}

export interface PrerenderSummary {
  index: SiteIndex
  plainArticles: number
  packedArticles: number
  documents: number
  largestDocument: number
  /** Feed scopes (the site, each topic) kept whole from the last build, of all (see scope-memo.ts). */
  keptScopes: number
  scopes: number
}

const HTML = 'text/html; charset=utf-8'
const XML = 'application/xml; charset=utf-8'
const OPML = `${OPML_MEDIA_TYPE}; charset=utf-8`
const TEXT = 'text/plain; charset=utf-8'
const XSL = 'text/xsl; charset=utf-8'

/**
 * The index's table of media types, in a fixed order: documents name their
 * type by its place in it, so a place must not depend on which scopes a
 * build made and which it kept (scope-memo.ts).
 */
const MEDIA_TYPES = [
  HTML,
  ...FEED_FORMATS.map((format) => `${FEED_MEDIA_TYPES[format]}; charset=utf-8`),
  XML,
  OPML,
  TEXT,
  XSL,
]

/**
 * What a feed scope at its only view follows from, the code and settings
 * aside (the keeper's own key holds them): where it is, what it is called,
 * how many pages a pack holds, and each of its articles, in order, as
 * `scopeParts` gives them.
 */
function scopeKey(parts: unknown[], articleParts: readonly string[]): string {
  // One string: the site's scope alone has an article for every file of the folder.
  return hashParts('feed scope', JSON.stringify(parts), articleParts.join('\n'))
}

/**
 * Each feed scope's articles as its key takes them (see scopeKey), in the
 * scope's order: an article is its digest with the places of its topics,
 * which its items give. Made in one pass over the content, newest first, the
 * order of the site's scope and of each topic's (see published.ts), with no
 * lookup by article: with a map from article to part, asked once for each
 * scope an article is in, the keys took 0.5 s of a profiled warm build at
 * 100,000 articles, 0.25 s this way. A scope with an article that has no
 * digest (a scheduled one) has none.
 */
function scopeParts(
  articles: readonly CompiledArticle[],
  published: readonly CompiledArticle[],
  digests: readonly string[],
  topicIndexOf: (slug: string) => number,
  topicCount: number,
): { site: string[] | undefined; topics: (string[] | undefined)[] } {
  let site: string[] | undefined = []
  const topics: (string[] | undefined)[] = Array.from({ length: topicCount }, () => [])
  // `published` is `articles` without the scheduled ones, in the same order.
  let next = 0
  for (const article of articles) {
    const digest = published[next] === article ? digests[next++] : undefined
    const places = article.topics.map((topic) => topicIndexOf(topic.slug))
    if (digest === undefined) {
      site = undefined
      for (const place of places) topics[place] = undefined
      continue
    }
    const part = `${digest} ${places.join(' ')}`
    site?.push(part)
    for (const place of places) topics[place]?.push(part)
  }
  return { site, topics }
}

/** Appends a variant when the value differs from the one in force. */
function pushVariant<T>(
  variants: Variants<T>,
  from: number,
  value: T,
  same: (a: T, b: T) => boolean,
) {
  const last = variants[variants.length - 1]
  if (last && same(last.value, value)) return
  variants.push({ from, value })
}

const sameDocument = (a: DocumentRef | null, b: DocumentRef | null) => a?.path === b?.path

function sameState(a: ScopeState | null, b: ScopeState | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function pageOf<T>(list: readonly T[], page: number, size: number): T[] {
  return list.slice((page - 1) * size, page * size)
}

/** Prerenders a compiled content set. */
export function prerenderSite(
  content: CompiledContent,
  options: PrerenderOptions,
): PrerenderSummary {
  clearItemMemo()
  try {
    if (options.fragments) useFragmentFile(options.fragments)
    return prerenderViews(content, options)
  } finally {
    // The fragments and measures are the build's own: free them, and remove the fragment file.
    clearItemMemo()
  }
}

/**
 * What an article page follows from: its article alone (and the code and
 * settings, which the keeper's own key holds), by the article's digest
 * (articleDigest, which does not read its HTML back: see html-store.ts).
 */
function articlePageKey(digest: string): string {
  // Named, not hashed again: a hash for each of 100,000 articles cost a warm build 0.13 s.
  return `article page ${digest}`
}

/**
 * What an older topic page follows from, the code and settings aside (the
 * keeper's own key holds them): the topic, the page's place, and each
 * article as its teaser shows it and as it dates the page. So a page is
 * made again only when one of its teasers changes, and an edit to an
 * article's body alone keeps every topic page (see kept-assets.ts).
 * `shownAs` digests an article's part, once per build: an article is on a
 * page of each of its topics.
 */
function topicPageKey(
  topic: { slug: string; name: string; description?: string },
  page: number,
  olderPages: number,
  articles: readonly CompiledArticle[],
  shownAs: (article: CompiledArticle) => string,
): string {
  return hashParts(
    'topic page',
    JSON.stringify(topic),
    `${page} of ${olderPages}`,
    ...articles.map(shownAs),
  )
}

/** An article as a topic page shows it: its teaser, and the date it gives the page. */
function teaserDigest(origin: string, article: CompiledArticle): string {
  return hashParts(JSON.stringify([teaserOf(origin, article), articleModified(article)]))
}

/** Where an article's page is a static asset of its own (the newest articles'), in the assets folder. */
export function plainArticlePagePath(slug: string): string {
  return `/articles/${slug}/index.html`
}

function prerenderViews(content: CompiledContent, options: PrerenderOptions): PrerenderSummary {
  const site = options.site
  const origin = site.baseUrl ?? ORIGIN_PLACEHOLDER
  const pageOrigin = site.baseUrl ?? ''
  const store = new DocumentStore(options.sink, options.assetKeeper, options.packWriter)
  for (const type of MEDIA_TYPES) store.typeOf(type)
  const scopes = new ScopeMemo(store)
  const pagesPerPack = options.pagesPerPack ?? 8
  const packs = new PagedPacks(store, pagesPerPack)
  const build: FeedBuild = {
    site,
    origin,
    store,
    packs,
    ...(options.wholeDocuments ? { wholeDocuments: true } : {}),
  }
  const publisher = createPublisher(content)
  // By article, not by id: a map keyed by the article itself answers two to three times faster,
  // and the prerender asks these maps for every article, several times.
  const publishedAt = new Map(content.articles.map((a) => [a, Date.parse(a.published)]))

  // Views: 0 at build time, then one per distinct due time.
  const dueTimes = [
    ...new Set(content.articles.map((a) => publishedAt.get(a)!).filter((t) => t > options.now)),
  ].sort((a, b) => a - b)
  const times = [options.now, ...dueTimes]
  const viewOf = (published: number) =>
    published <= options.now ? 0 : dueTimes.indexOf(published) + 1
  const finalView = publisher.viewAt(Number.MAX_SAFE_INTEGER)

  // Article pages: every published one in a pack chosen by its slug, which the worker answers
  // from with validators; the newest also as plain assets, which Cloudflare serves without the
  // worker. Scheduled ones are documents, from their due time.
  const published = content.articles.filter((a) => publishedAt.get(a)! <= options.now)
  const plainCount = Math.min(published.length, options.plainArticles ?? 2000)
  const encoder = new TextEncoder()
  const articlePacks = Math.max(1, Math.ceil(published.length / (options.articlesPerPack ?? 32)))
  const byPack = new Map<string, Map<string, KeyedInput | { movedTo: string }>>()
  const entryOf = (path: string) => {
    let entries = byPack.get(path)
    if (!entries) {
      entries = new Map()
      byPack.set(path, entries)
    }
    return entries
  }
  // Pages are rendered one pack at a time, so memory holds one pack of pages. Articles by their
  // place in `published`: the newest `plainCount` are plain pages.
  const slugsByPack = new Map<string, number[]>()
  for (const [place, article] of published.entries()) {
    const path = articlePackPath(article.slug, articlePacks)
    const list = slugsByPack.get(path)
    if (list) list.push(place)
    else slugsByPack.set(path, [place])
  }
  for (const article of published) {
    for (const old of article.redirectFrom ?? [])
      entryOf(articlePackPath(old, articlePacks)).set(old, { movedTo: article.slug })
  }
  const paths = new Set([...slugsByPack.keys(), ...byPack.keys()])
  // Each published article's digest, by its place, which feed scopes are kept by (ScopeMemo), as
  // it is now: releaseArticleHtml below changes the articles.
  const digests: string[] = new Array(published.length)
  for (const path of paths) {
    const entries = entryOf(path)
    const plainPages: (() => void)[] = []
    for (const place of slugsByPack.get(path) ?? []) {
      const article = published[place]!
      const digest = articleDigest(article)
      const key = articlePageKey(digest)
      digests[place] = digest
      let text: string | undefined
      const render = () => {
        text ??= renderArticlePage(site, pageOrigin, article)
        return { text, type: HTML, modified: articleModified(article) }
      }
      entries.set(article.slug, { key, type: HTML, render })
      if (place < plainCount) {
        const file = plainArticlePagePath(article.slug)
        plainPages.push(() => store.writeKeyed(file, key, () => encoder.encode(render().text)))
      }
    }
    store.writePack(path, entries)
    for (const write of plainPages) write()
    byPack.delete(path)
  }
  const scheduledArticles: SiteIndex['scheduledArticles'] = {}
  const due = new Map<number, { at: number; topics: Set<string>; slugs: string[] }>()
  for (const article of content.articles) {
    const at = publishedAt.get(article)!
    if (at <= options.now) continue
    scheduledArticles[article.slug] = {
      from: viewOf(at),
      page: store.add({
        text: renderArticlePage(site, pageOrigin, article),
        type: HTML,
        modified: articleModified(article),
      }),
      movedFrom: article.redirectFrom ?? [],
    }
    let entry = due.get(at)
    if (!entry) {
      entry = { at, topics: new Set(), slugs: [] }
      due.set(at, entry)
    }
    for (const topic of article.topics) entry.topics.add(topic.slug)
    entry.slugs.push(article.slug)
  }

  if (options.releaseContent) releaseArticleHtml(build, content.articles)

  const teasers = new Map<CompiledArticle, string>()
  const shownAs = (article: CompiledArticle) => {
    let digest = teasers.get(article)
    if (digest === undefined) {
      digest = teaserDigest(origin, article)
      teasers.set(article, digest)
    }
    return digest
  }
  const topicList = finalView.topics
  const topicIndex = new Map(topicList.map((topic, i) => [topic.slug, i]))
  const topicIndexOf = (slug: string) => topicIndex.get(slug) ?? -1

  // Views at which each scope changes: 0, and every due time of one of its articles.
  const siteViews = [0, ...dueTimes.map((_, i) => i + 1)]
  const topicViews = new Map<string, Set<number>>(topicList.map((t) => [t.slug, new Set([0])]))
  for (const article of content.articles) {
    const view = viewOf(publishedAt.get(article)!)
    if (view > 0) for (const topic of article.topics) topicViews.get(topic.slug)?.add(view)
  }
  const visibleAt = (articles: readonly CompiledArticle[], view: number) => {
    const time = times[view]!
    let start = 0
    while (start < articles.length && publishedAt.get(articles[start]!)! > time) start++
    return articles.slice(start)
  }

  // A scope with one view (none of its articles scheduled) is kept whole when it is unchanged.
  // An article is in it whole (its digest, taken before the build let go of its HTML), with
  // the places of its topics, which its items give; made once, for the site and each topic.
  const parts = scopeParts(finalView.articles, published, digests, topicIndexOf, topicList.length)
  const keyOfScope = (views: number, scope: unknown[], articleParts: string[] | undefined) =>
    views === 1 && !options.wholeDocuments && articleParts !== undefined
      ? scopeKey([origin, pagesPerPack, ...scope], articleParts)
      : undefined

  // The site feed.
  const siteInfo: ScopeInfo = { scope: { kind: 'site' } }
  const siteKey = keyOfScope(siteViews.length, [siteInfo], parts.site)
  const siteFeed = scopes.run('site', siteKey, () => {
    const variants: Variants<ScopeState> = []
    const frames = measureFrames(build, siteInfo)
    const memory: ScopeMemory = { archived: 0, openPage: 1 }
    for (const view of siteViews) {
      const state = prerenderScope(
        build,
        siteInfo,
        frames,
        visibleAt(finalView.articles, view),
        memory,
        topicIndexOf,
      )
      pushVariant(variants, view, state, sameState)
    }
    packs.finishLists(FEED_FORMATS.map((format) => archiveList(undefined, format)))
    return variants
  })

  // Topic feeds and topic pages.
  const topics: TopicIndex[] = topicList.map((topic, i) => {
    const info: ScopeInfo = {
      scope: { kind: 'topic', slug: topic.slug },
      topic: i,
      name: topic.name,
      ...(topic.description ? { description: topic.description } : {}),
    }
    const described = {
      slug: topic.slug,
      name: topic.name,
      ...(topic.description ? { description: topic.description } : {}),
    }
    const views = topicViews.get(topic.slug)!
    const key = keyOfScope(views.size, [info, described], parts.topics[i])
    return scopes.run(`topic ${topic.slug}`, key, () =>
      prerenderTopic(
        topic,
        i,
        info,
        described,
        [...views].sort((a, b) => a - b),
      ),
    )
  })

  /** A topic's feeds at each of its views, and its pages. */
  function prerenderTopic(
    topic: (typeof topicList)[number],
    i: number,
    info: ScopeInfo,
    described: { slug: string; name: string; description?: string },
    views: number[],
  ): TopicIndex {
    const frames = measureFrames(build, info)
    const memory: ScopeMemory = { archived: 0, openPage: 1 }
    const states: TopicIndex['states'] = []
    const pages: TopicIndex['pages'] = []
    let openTopicPage = 1
    for (const view of views) {
      const visible = visibleAt(topic.articles, view)
      if (visible.length === 0) {
        pushVariant(states, view, null, sameState)
        continue
      }
      pushVariant(
        states,
        view,
        prerenderScope(build, info, frames, visible, memory, topicIndexOf),
        sameState,
      )
      // Topic pages: the front page holds the newest; older pages count from the oldest.
      const older = visible.slice(TOPIC_PAGE_SIZE).reverse()
      const olderPages = Math.ceil(older.length / TOPIC_PAGE_SIZE)
      let open: DocumentRef | undefined
      for (let page = openTopicPage; page <= olderPages; page++) {
        const articles = pageOf(older, page, TOPIC_PAGE_SIZE).reverse()
        const render = (): DocumentInput => ({
          text: renderTopicPage(site, origin, described, articles, { page, olderPages }),
          type: HTML,
          modified: latestOf(articles),
        })
        if (page < olderPages) {
          const key = topicPageKey(described, page, olderPages, articles, shownAs)
          packs.add(topicPagesList(i), page, { key, type: HTML, render })
        } else open = store.add(render())
      }
      openTopicPage = Math.max(1, olderPages)
      const front = store.add({
        text: renderTopicPage(site, origin, described, visible.slice(0, TOPIC_PAGE_SIZE), {
          olderPages,
        }),
        type: HTML,
        modified: latestOf(visible.slice(0, 1)),
      })
      pages.push({ from: view, value: { front, older: olderPages, ...(open ? { open } : {}) } })
    }
    packs.finishLists([...FEED_FORMATS.map((format) => archiveList(i, format)), topicPagesList(i)])
    return { slug: topic.slug, name: topic.name, states, pages }
  }

  // Site-wide documents, and the sitemap, at every view.
  const documents: SiteIndex['documents'] = {}
  const setDocument = (route: string, view: number, ref: DocumentRef | null) => {
    const variants = documents[route] ?? []
    if (variants.length === 0 && ref === null) return
    documents[route] = variants
    pushVariant(variants, view, ref, sameDocument)
  }
  const sitemap: SiteIndex['sitemap'] = []
  let openSitemapPart = 1
  let topicsPages = 0
  for (const view of siteViews) {
    const published: PublishedView = publisher.viewAt(times[view]!)
    const newest = published.articles[0] ? articleModified(published.articles[0]) : undefined
    setDocument(
      'home',
      view,
      store.add({ text: renderHomePage(site, origin, published), type: HTML, modified: newest }),
    )
    const entries = published.topics.map(topicEntry)
    const pageCount = Math.max(1, Math.ceil(entries.length / TOPICS_PER_PAGE))
    for (let page = 1; page <= Math.max(pageCount, topicsPages); page++) {
      setDocument(
        `topics/${page}`,
        view,
        page > pageCount
          ? null
          : store.add({
              text: renderTopicsPage(site, origin, pageOf(entries, page, TOPICS_PER_PAGE), {
                page,
                pages: pageCount,
              }),
              type: HTML,
              modified: newest,
            }),
      )
    }
    topicsPages = Math.max(topicsPages, pageCount)
    setDocument(
      'opml',
      view,
      store.add({
        text: renderOpml(site, origin, published),
        type: OPML,
        modified: newest,
      }),
    )
    // Sitemap: pages, then articles in parts counted from the oldest.
    const pagesPart = store.add({
      text: renderSitemap(sitemapPages(origin, published)),
      type: XML,
      modified: newest,
    })
    setDocument('sitemap/pages', view, pagesPart)
    const oldestFirst = [...published.articles].reverse()
    const parts = Math.ceil(oldestFirst.length / SITEMAP_PART_SIZE)
    let openPart: DocumentRef | undefined
    const partEntries = [{ loc: sitemapPartUrl(origin, 'pages'), lastmod: newest }]
    for (let part = 1; part <= parts; part++) {
      const articles = pageOf(oldestFirst, part, SITEMAP_PART_SIZE)
      const lastmod = latestOf(articles)
      partEntries.push({ loc: sitemapPartUrl(origin, part), lastmod })
      if (part < openSitemapPart) continue
      const entries = articles.map((article) => sitemapArticle(origin, article))
      const render = (): DocumentInput => ({
        text: renderSitemap(entries),
        type: XML,
        modified: lastmod,
      })
      // A closed part is its entries, and its date theirs: kept while they are the same.
      if (part < parts)
        packs.add('sitemap', part, {
          key: hashParts('sitemap part', JSON.stringify(entries)),
          type: XML,
          render,
        })
      else openPart = store.add(render())
    }
    openSitemapPart = Math.max(1, parts)
    setDocument(
      'sitemap',
      view,
      store.add({ text: renderSitemapIndex(partEntries), type: XML, modified: newest }),
    )
    if (openPart) sitemap.push({ from: view, value: { parts, open: openPart } })
  }
  setDocument('robots', 0, store.add({ text: renderRobotsTxt(origin), type: TEXT }))
  setDocument(
    'feed-stylesheet',
    0,
    store.add({ text: renderFeedStylesheet(site, origin), type: XSL }),
  )
  setDocument('not-found', 0, store.add({ text: renderNotFoundPage(site, origin), type: HTML }))
  const filters = renderFilterTemplates(build, store)
  packs.finish()

  const index: SiteIndex = {
    format: SITE_INDEX_FORMAT,
    version: content.version,
    site,
    placeholderOrigin: site.baseUrl === undefined,
    preview: options.preview === true,
    types: store.types,
    dueTimes,
    due: [...due.values()]
      .sort((a, b) => a.at - b.at)
      .map((entry) => ({ at: entry.at, topics: [...entry.topics].sort(), slugs: entry.slugs })),
    documents,
    siteFeed,
    topics,
    filters,
    packs: { articles: articlePacks, pagesPerPack },
    scheduledArticles,
    sitemap,
  }
  return {
    index,
    plainArticles: plainCount,
    packedArticles: published.length,
    documents: store.documents,
    largestDocument: store.largest,
    keptScopes: scopes.kept,
    scopes: scopes.scopes,
  }
}
