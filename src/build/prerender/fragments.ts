import type { CompiledArticle } from '../../contract/compiled.ts'
import { FRAGMENT_KINDS, type FragmentKind } from '../../contract/site-index.ts'
import { buildFeedModel, toFeedItem } from '../../feeds/feed-model.ts'
import { carriesContent } from '../../feeds/feed-package.ts'
import { fitItemsToBudget } from '../../feeds/item-budget.ts'
import { renderFeed } from '../../feeds/render-feed.ts'
import { renderFeedPage } from '../../pages/feed-page.ts'
import { FEED_STYLESHEET_PATH } from '../../pages/feed-stylesheet.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { articleDigest, htmlLength } from '../html-store.ts'

/**
 * Item fragments: the bytes one article takes in each kind of document (the
 * RSS <item>, the Atom <entry>, the JSON Feed item object, the teaser <li> of
 * a feed's HTML page). An item renders the same in every feed, so its
 * fragment is cut once out of a document that holds it alone; its length
 * plans pages within the byte budget, and filtered feeds are joined from
 * fragments (see filter-templates.ts).
 */

/**
 * An article with every optional field, so that a template rendered around it
 * declares every namespace any real item may need.
 */
export const PROBE_ARTICLE: CompiledArticle = {
  id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
  slug: 'probe',
  title: 'Probe',
  summary: 'Probe.',
  contentHtml: '<p>Probe.</p>',
  published: '2001-01-01T00:00:00Z',
  updated: '2001-01-02T00:00:00Z',
  topics: [{ slug: 'probe', name: 'Probe' }],
  authors: [{ name: 'Probe', url: 'https://probe.invalid/' }],
  image: { url: 'https://probe.invalid/probe.jpg', type: 'image/jpeg' },
  imageCaption: 'Probe',
  imageCredit: 'Probe',
  sourceUrl: 'https://probe.invalid/source',
  sourceName: 'Probe',
  lang: 'en',
}

const encoder = new TextEncoder()

/** The article as feeds carry it: cut to its summary when too large for the byte budget alone. */
export function carriedArticle(
  site: SiteConfig,
  origin: string,
  article: CompiledArticle,
): CompiledArticle {
  // The HTML's length first, which the HTML store knows without reading it back.
  return fitItemsToBudget([article], site, origin, htmlLength)[0]!
}

/**
 * What an article's fragments are kept under between builds (fragment-file.ts):
 * a digest of the article as feeds carry it. The code and settings are the
 * kept file's, so they are not in it.
 */
export function fragmentKey(carried: CompiledArticle): string {
  return articleDigest(carried)
}

/**
 * After an article's items, per FRAGMENT_KINDS, its fragments hold one more:
 * a byte when its item carries content, nothing when not, the one thing
 * about an item a document's frame shows (see releaseArticleHtml in
 * feed-scope.ts). Kept with the items, it spares a build reading back and
 * cleaning the HTML of every article whose items it takes from the last
 * build: 1.2 s at 100,000. The answer is the fragment's length, which the
 * fragment file holds in memory: reading a byte back for each article cost
 * a warm build at 100,000 articles as many reads, a second when the page
 * cache had let the file go.
 */
export const CARRIES_CONTENT_SLOT = FRAGMENT_KINDS.length
const CARRIES = Uint8Array.of(1)
const NOTHING = new Uint8Array(0)

/** Whether an article's item carries content, from its fragments' lengths (see CARRIES_CONTENT_SLOT). */
export function carriesContentOf(length: (slot: number) => number): boolean {
  return length(CARRIES_CONTENT_SLOT) > 0
}

/** How many fragments an article has: its items, and the byte above. */
export const FRAGMENT_SLOTS = FRAGMENT_KINDS.length + 1

/**
 * An article's items, per FRAGMENT_KINDS, as UTF-8: each cut out of a
 * document that holds the article (as feeds carry it) alone; then whether
 * the item carries content (CARRIES_CONTENT_SLOT). Pure, so the build
 * renders them on every core (fragment-worker.ts).
 */
export function renderItemFragments(
  site: SiteConfig,
  origin: string,
  carried: CompiledArticle,
): Uint8Array[] {
  const model = buildFeedModel(site, origin, {
    scope: { kind: 'site' },
    articles: [carried],
    page: { kind: 'subscription' },
  })
  const items = FRAGMENT_KINDS.map((kind) => {
    const document =
      kind === 'html'
        ? renderFeedPage(site, origin, {
            model,
            scope: { kind: 'site' },
            format: 'rss',
            label: 'All articles',
          })
        : renderFeed(model, kind, { stylesheet: `${origin}${FEED_STYLESHEET_PATH}` })
    const [start, end] = singleItemSpan(kind, document)
    return encoder.encode(document.slice(start, end))
  })
  return [...items, carriesContent(toFeedItem(carried, origin)) ? CARRIES : NOTHING]
}

/** What goes between two fragments of a kind in a document. */
export const FRAGMENT_SEPARATORS: Record<FragmentKind, string> = {
  rss: '',
  atom: '',
  json: ',\n    ',
  html: '',
}

function backOverWhitespace(text: string, index: number): number {
  let start = index
  while (start > 0 && /\s/.test(text[start - 1]!)) start--
  return start
}

/**
 * The one item of a document that holds a single item, as [start, end)
 * character offsets. XML fragments take the line break and indent before them,
 * so fragments join with nothing between them, as the writer puts them.
 */
export function singleItemSpan(kind: FragmentKind, document: string): [number, number] {
  switch (kind) {
    case 'rss': {
      // Channel fields come first and are escaped, so the first <item> tag opens the item;
      // its content may hold a literal "</item>" in CDATA, so the end is the last one.
      const start = backOverWhitespace(document, document.indexOf('<item>'))
      return [start, document.lastIndexOf('</item>') + '</item>'.length]
    }
    case 'atom': {
      const start = backOverWhitespace(document, document.indexOf('<entry>'))
      return [start, document.lastIndexOf('</entry>') + '</entry>'.length]
    }
    case 'json': {
      // `items` is the last member and JSON strings escape their quotes, so neither search
      // can land inside an item's text.
      const start = document.indexOf('{', document.indexOf('"items": ['))
      return [start, document.lastIndexOf('}', document.lastIndexOf(']')) + 1]
    }
    case 'html': {
      const open = '<ol class="articles">'
      const start = document.indexOf(open) + open.length
      return [start, document.indexOf('</ol>', start)]
    }
  }
}

/**
 * Byte ranges of fragments inside a document that holds them in order:
 * [start, end) in the document's UTF-8 bytes.
 */
export function locateFragments(
  document: Uint8Array,
  fragments: readonly Uint8Array[],
): [number, number][] {
  const haystack = Buffer.from(document.buffer, document.byteOffset, document.byteLength)
  const ranges: [number, number][] = []
  let position = 0
  for (const fragment of fragments) {
    const at = haystack.indexOf(fragment, position)
    if (at < 0) {
      throw new Error(
        '[prerender] an item fragment is not in its document. The feed writer renders items differently alone and together; fix fragments.ts',
      )
    }
    ranges.push([at, at + fragment.byteLength])
    position = at + fragment.byteLength
  }
  return ranges
}
