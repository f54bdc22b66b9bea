import { Feed, type Item } from 'feed'
import { escapeHtml, stripXmlForbidden } from '../site/text.ts'
import type { FeedItem, FeedModel } from './feed-model.ts'
import { itemUpdated } from './feed-model.ts'

/**
 * The only module that imports the `feed` package. It closes the package's
 * known holes, each covered by test/feeds/feed-package-holes.test.ts:
 *
 * - Its XML writer (xml-js) leaves `<` and `&` unescaped in attributes, turns
 *   a literal `&amp;` in text into `&`, and splits only the first `]]>` of a
 *   CDATA section. Text and attribute values therefore go in with the special
 *   characters swapped for private-use stand-ins that it passes untouched,
 *   and come out escaped by us; CDATA gets every `]]>` split by us.
 * - It passes XML-forbidden control characters through: they are removed.
 * - It derives image types from the file ending (`image/jpg`): the model's
 *   registered type is used instead.
 * - It puts the clock into `updated`/`lastBuildDate` when none is given: the
 *   model's newest item date is always given.
 * - Atom categories get a `term` only when one is passed: both term and label are.
 * - Atom entry titles and summaries are declared `type="html"`: plain text is
 *   declared `type="text"` (see declarePlainText).
 * - Atom entries cannot carry extra links or the feed a language: both are added here.
 * - It throws on relative URLs: the model only holds absolute ones (built from
 *   an origin), which the tests check.
 * - JSON Feed comes out as version 1.0 only; render-json-feed.ts writes 1.1 itself.
 * - It knows nothing of feed history (RFC 5005): the `prev-archive`,
 *   `next-archive` and `current` links and `fh:complete`/`fh:archive` are
 *   added here, next to the `self` link it writes.
 */

// Private-use code points stand in for characters the writer mishandles; the
// model is stripped of them first, so every one in the output is ours.
const STAND_INS = /[\uE000-\uE005]/g
const LT = '\uE000'
const AMP = '\uE001'
const GT = '\uE002'
const QUOT = '\uE003'
const CDATA_BREAK = '\uE004'
/** Marks a text construct the writer declares `type="html"` that holds plain text. */
const PLAIN_TEXT = '\uE005'

const RESTORED: Record<string, string> = {
  [LT]: '&lt;',
  [AMP]: '&amp;',
  [GT]: '&gt;',
  [QUOT]: '&quot;',
  // Closing `]]` stays in the text before it; the section is closed and reopened around `>`.
  [CDATA_BREAK]: ']]><![CDATA[>',
}

/** Stands where an item's Media RSS elements go; replaced with them after writing (mediaSlots). */
const MEDIA_SLOT = '\uE006'

function cleanInput(value: string): string {
  return stripXmlForbidden(value).replace(/[\uE000-\uE006]/g, '')
}

/** A value for an XML text node or attribute. */
function text(value: string): string {
  return cleanInput(value).replace(/[<&>"]/g, (char) =>
    char === '<' ? LT : char === '&' ? AMP : char === '>' ? GT : QUOT,
  )
}

/** A value for a CDATA section: every `]]>` is split, not only the first. */
function cdata(value: string): string {
  return cleanInput(value).replaceAll(']]>', `]]${CDATA_BREAK}`)
}

/** Escapes as xml-js writes text nodes: `&`, `<` and `>` only. */
function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * RFC 4287 section 3.1.1: a text construct of type "text" holds plain text,
 * which readers show as it is. The writer declares every entry title and
 * summary `type="html"`, so readers that decode HTML once more (gofeed, and
 * Perl's XML::Feed) showed `&amp;` for `&`; the marked ones become "text".
 */
function declarePlainText(xml: string): string {
  return xml.replaceAll(`type="html"><![CDATA[${PLAIN_TEXT}`, 'type="text"><![CDATA[')
}

function restore(xml: string): string {
  return declarePlainText(xml).replace(STAND_INS, (char) => RESTORED[char] ?? '')
}

/** The type attribute `feed` writes for an image: its own guess from the file ending. */
function guessedImageType(url: string): string {
  return `image/${new URL(url).pathname.split('.').slice(-1)[0]}`
}

/** Every author's name in one line, as an RSS item names them. */
export function authorLine(authors: readonly { name: string }[]): string {
  return authors.map((author) => author.name).join(', ')
}

function itemFor(item: FeedItem, format: 'rss' | 'atom'): Item {
  // Atom titles and summaries are plain text constructs (type="text"). RSS has no such
  // declaration: readers take the title as text, and the description as HTML.
  const plain = (value: string) => (format === 'atom' ? PLAIN_TEXT + cdata(value) : cdata(value))
  const base: Item = {
    title: plain(item.title),
    id: item.id,
    link: item.url,
    date: itemUpdated(item),
    published: item.published,
    description: format === 'atom' ? plain(item.summary) : cdata(escapeHtml(item.summary)),
    content: cdata(item.contentHtml),
    // Readers show an Atom category's term (gofeed, feedparser without a label) or its label, so
    // both carry the topic's name; the topic's page is the scheme that gives the term its meaning.
    category: item.categories.map((category) =>
      format === 'atom'
        ? { term: text(category.label), name: text(category.label), scheme: category.url }
        : { name: text(category.label), domain: text(category.url) },
    ),
  }
  // The enclosure carries the real length of an image published from the seeds folder;
  // RSS requires the attribute, and 0 is what readers take for "unknown" (remote images).
  if (item.image)
    base.image = {
      url: item.image.url,
      type: item.image.type,
      ...(item.image.length !== undefined || format === 'rss'
        ? { length: item.image.length ?? 0 }
        : {}),
    }
  if (format === 'atom') {
    // The entry's Media RSS elements take the place of its (otherwise unused) rights element.
    if (item.image) base.copyright = MEDIA_SLOT
    if (item.authors.length > 0) {
      base.author = item.authors.map((author) => ({
        name: text(author.name),
        ...(author.url ? { link: author.url } : {}),
      }))
    }
    return base
  }
  // RSS <author> must be an e-mail address; Dublin Core's creator is the element for names.
  // One dc:creator naming every author: gofeed (and readers built on it) keeps only the first
  // of several, so the others would be lost there.
  const extensions: Item['extensions'] = []
  if (item.authors.length > 0) {
    extensions.push({ name: 'dc:creator', objects: { _text: text(authorLine(item.authors)) } })
  }
  if (item.image) extensions.push({ name: 'media:content', objects: { _text: MEDIA_SLOT } })
  if (item.externalUrl) {
    extensions.push({
      name: 'atom:link',
      objects: { _attributes: { rel: 'related', href: text(item.externalUrl) } },
    })
  }
  return { ...base, extensions }
}

/** Media RSS (https://www.rssboard.org/media-rss), which Feedly, Inoreader and NetNewsWire read for pictures. */
const MEDIA_NAMESPACE = 'http://search.yahoo.com/mrss/'

/**
 * An item's image as Media RSS: `media:content` with its type, size in
 * pixels and bytes (when published from the seeds folder), the caption and
 * the credit; and `media:thumbnail` (section "Optional Elements"), the same
 * picture, for readers that show only thumbnails.
 */
function mediaElements(item: FeedItem, indent: string): string {
  const image = item.image!
  const url = escapeHtml(image.url)
  const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : ''
  const bytes = image.length !== undefined ? ` fileSize="${image.length}"` : ''
  const inner = [
    item.imageCaption
      ? `<media:description type="plain">${escapeHtml(cleanInput(item.imageCaption))}</media:description>`
      : '',
    item.imageCredit
      ? `<media:credit>${escapeHtml(cleanInput(item.imageCredit))}</media:credit>`
      : '',
  ].filter(Boolean)
  const content = `<media:content url="${url}" type="${escapeHtml(image.type)}" medium="image"${size}${bytes}`
  const body =
    inner.length > 0
      ? `>${inner.map((line) => `\n${indent}    ${line}`).join('')}\n${indent}</media:content>`
      : '/>'
  return `${content}${body}\n${indent}<media:thumbnail url="${url}"${size}/>`
}

/** Puts each item's Media RSS elements where `element` holds its slot, in document order. */
function fillMediaSlots(xml: string, model: FeedModel, element: string, indent: string): string {
  const withImages = model.items.filter((item) => item.image)
  let index = 0
  return xml.replaceAll(`<${element}>${MEDIA_SLOT}</${element}>`, () =>
    mediaElements(withImages[index++]!, indent),
  )
}

/** RFC 5005 section 6: the namespace of `fh:complete` and `fh:archive`. */
const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0'

const MEDIA_TYPES = { rss: 'application/rss+xml', atom: 'application/atom+xml' } as const

/** The history links and marker of a document, as XML lines for its channel or feed element. */
function historyElements(model: FeedModel, format: 'rss' | 'atom', indent: string): string {
  const element = format === 'rss' ? 'atom:link' : 'link'
  const link = (rel: string, href: string) =>
    `\n${indent}<${element} rel="${rel}" href="${escapeHtml(href)}" type="${MEDIA_TYPES[format]}"/>`
  const { history } = model
  let lines = ''
  if (history.current) lines += link('current', history.current[format])
  if (history.prevArchive) lines += link('prev-archive', history.prevArchive[format])
  if (history.nextArchive) lines += link('next-archive', history.nextArchive[format])
  if (history.complete) lines += `\n${indent}<fh:complete/>`
  if (history.archive) lines += `\n${indent}<fh:archive/>`
  return lines
}

/** Puts `extra` after the document's self link, the one `feed` writes first. */
function afterSelfLink(xml: string, pattern: RegExp, extra: string): string {
  if (!extra) return xml
  const match = pattern.exec(xml)
  if (!match) throw new Error('[feeds] feed-package: the self link was not written')
  const end = match.index + match[0].length
  return xml.slice(0, end) + extra + xml.slice(end)
}

function feedFor(model: FeedModel, format: 'rss' | 'atom', stylesheet?: string): Feed {
  const author = model.authors[0]
  const feed = new Feed({
    id: model.id,
    title: text(model.title),
    description: text(model.description),
    link: model.homePageUrl,
    language: model.language,
    updated: model.updated,
    generator: 'Edge Feed Publisher',
    ttl: Math.max(1, Math.round(model.ttlSeconds / 60)),
    feedLinks: { [format]: model.links[format] },
    ...(model.hub ? { hub: model.hub } : {}),
    ...(author
      ? { author: { name: text(author.name), ...(author.url ? { link: author.url } : {}) } }
      : {}),
    // RSS <image> and Atom <logo> come from `image`, Atom <icon> from `favicon`.
    image: format === 'rss' ? model.icons.rssImage.url : model.icons.atomLogo,
    favicon: model.icons.atomIcon,
    // The writer leaves the instruction's pseudo-attribute unescaped like any other.
    ...(stylesheet ? { stylesheet: text(stylesheet) } : {}),
  })
  for (const item of model.items) feed.addItem(itemFor(item, format))
  return feed
}

/**
 * The writer's channel `<image>` has no size; RSS 2.0 ("<image> sub-element")
 * takes the default 88×31 then, so the real one is added. The channel's
 * first `</image>` is this one: text before it is escaped and items follow it.
 */
function sizeChannelImage(xml: string, model: FeedModel): string {
  const { width, height } = model.icons.rssImage
  const at = xml.indexOf('</image>')
  if (at < 0) throw new Error('[feeds] feed-package: the channel image was not written')
  const indent = '            '
  return `${xml.slice(0, at)}    <width>${width}</width>\n${indent}<height>${height}</height>\n        ${xml.slice(at)}`
}

/**
 * Which item of the model a document holding that item alone shares its
 * head and foot with (everything around the items). The model's `updated`
 * and history are given, so the items decide only one thing outside
 * themselves: the writer declares RSS's content and Dublin Core namespaces
 * when some item has content. Atom and JSON take any item.
 */
export function frameItemIndex(model: FeedModel, format: 'rss' | 'atom' | 'json'): number {
  if (format !== 'rss') return 0
  return Math.max(0, model.items.findIndex(carriesContent))
}

/** Whether the writer puts content in the item: the one thing about it its document's frame shows. */
export function carriesContent(item: FeedItem): boolean {
  return cdata(item.contentHtml) !== ''
}

/** Renders the model as RSS 2.0 with the content, Dublin Core and Atom namespaces. */
export function renderRssDocument(model: FeedModel, options: { stylesheet?: string } = {}): string {
  let xml = sizeChannelImage(restore(feedFor(model, 'rss', options.stylesheet).rss2()), model)
  xml = fillMediaSlots(xml, model, 'media:content', '            ')
  xml = xml.replace(
    '<rss ',
    () => `<rss xmlns:fh="${HISTORY_NAMESPACE}" xmlns:media="${MEDIA_NAMESPACE}" `,
  )
  return afterSelfLink(
    xml,
    /<atom:link href="[^"]*" rel="self" type="application\/rss\+xml"\/>/,
    historyElements(model, 'rss', '        '),
  )
}

/** Renders the model as an Atom 1.0 document (RFC 4287). */
export function renderAtomDocument(
  model: FeedModel,
  options: { stylesheet?: string } = {},
): string {
  let xml = fillMediaSlots(
    restore(feedFor(model, 'atom', options.stylesheet).atom1()),
    model,
    'rights',
    '        ',
  )
  xml = xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    () =>
      `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="${HISTORY_NAMESPACE}" xmlns:media="${MEDIA_NAMESPACE}" xml:lang="${escapeHtml(model.language)}">`,
  )
  xml = afterSelfLink(
    xml,
    /<link rel="self" href="[^"]*"\/>/,
    historyElements(model, 'atom', '    '),
  )
  for (const item of model.items) {
    // Replacements are functions so that `$&` in a URL is not read as a pattern.
    const related = item.externalUrl
    if (related) {
      // After the entry's alternate link, not before it: readers that take an entry's first
      // <link> as the article (as @extractus/feed-extractor does) must not open the source.
      const alternate = `<link href="${escapeHtml(item.url)}"/>`
      const at = xml.indexOf(
        alternate,
        xml.indexOf(`<id>${escapeXmlText(new URL(item.id).href)}</id>`),
      )
      if (at >= 0) {
        const end = at + alternate.length
        xml = `${xml.slice(0, end)}\n        <link rel="related" href="${escapeHtml(related)}"/>${xml.slice(end)}`
      }
    }
    const image = item.image
    if (image) {
      const href = escapeHtml(new URL(image.url).href)
      xml = xml.replace(
        `rel="enclosure" href="${href}" type="${escapeHtml(guessedImageType(image.url))}"`,
        () => `rel="enclosure" href="${href}" type="${image.type}"`,
      )
    }
  }
  return xml
}
