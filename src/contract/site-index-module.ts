/**
 * How the site index travels from the build to the worker: two modules of the
 * worker bundle. An isolate pays at startup for every byte of JavaScript it
 * loads — V8 scans the whole source, a JSON string literal included — and at
 * 200 topics each topic's states and pages (document references and the
 * newest items with their fragment ranges) were nine tenths of a 1.1 MB index,
 * which put 100,000 articles about 25 ms of startup CPU above a few articles
 * (measured against a constant-response worker: docs/benchmarks.md).
 *
 * So the build splits the index: the JavaScript module keeps everything but
 * the topics' states and pages, and those go, one JSON text per topic, into a
 * Data module (wrangler's default rule for `.bin`: an ArrayBuffer workerd
 * hands over without parsing). The worker opens the pair into a SiteIndex
 * whose topics parse their own text on first use, so a request reads at most
 * the topics it names (a filter names at most MAX_FILTER_TOPICS, see feed-filter.ts).
 *
 * workerd still spends about 10 ms of startup CPU per MB of any module, data
 * included, so a topic's text is written compactly: tuples instead of keyed
 * objects, a document by its ETag alone (its path follows from the ETag, see
 * documentPath), and item ids without the prefix they all share. Only this
 * module reads or writes that form; everything else sees the SiteIndex types.
 */

import {
  type DocumentRef,
  documentPath,
  type ItemRef,
  type ScopeState,
  type SiteIndex,
  type TopicIndex,
} from './site-index.ts'

/** A topic in the JavaScript module: its states and pages are bytes [start, end) of the Data module. */
export interface TopicEntry {
  slug: string
  name: string
  details: [number, number]
}

/** The site index as the JavaScript module carries it. */
export interface SiteIndexModule extends Omit<SiteIndex, 'topics'> {
  topics: TopicEntry[]
  /** Length of the Data module, to tell a pair written by two different builds. */
  topicBytes: number
  /** What every item id in the Data module starts with, left out of each. */
  idPrefix: string
}

// The compact form of a topic's text.
/** A document: its ETag without quotes, Last-Modified (-1: none), type index. */
type WireDocument = [string, number, number]
/** An item: id without the prefix, published, topics, ranges flattened, and updated when there is one. */
type WireItem = [string, number, number[], number[]] | [string, number, number[], number[], number]
/** Formats in this order: rss, atom, json. */
type WireFormats = [WireDocument, WireDocument, WireDocument]
/** A scope state: feeds, pages, items, complete (0/1), archive pages, open archive (0: none). */
type WireState = [WireFormats, WireFormats, WireItem[], number, number, WireFormats | 0]
/** Topic pages: front, older pages, open page (0: none). */
type WirePages = [WireDocument, number, WireDocument | 0]
/** A topic's text: [states, pages], each variant as [from, value] (0: a view without the topic). */
type WireTopic = [[number, WireState | 0][], [number, WirePages][]]

type Formats = ScopeState['feeds']

function writeDocument(ref: DocumentRef): WireDocument {
  if (ref.path !== documentPath(ref.etag))
    throw new Error(`[content] ${ref.path}: a document is stored by its ETag, ${ref.etag}`)
  return [ref.etag.slice(1, -1), ref.modified ?? -1, ref.type]
}

function readDocument([tag, modified, type]: WireDocument): DocumentRef {
  const etag = `"${tag}"`
  return modified < 0
    ? { path: documentPath(etag), etag, type }
    : { path: documentPath(etag), etag, modified, type }
}

const writeFormats = (refs: Formats): WireFormats => [
  writeDocument(refs.rss),
  writeDocument(refs.atom),
  writeDocument(refs.json),
]
const readFormats = ([rss, atom, json]: WireFormats): Formats => ({
  rss: readDocument(rss),
  atom: readDocument(atom),
  json: readDocument(json),
})

function writeItem(item: ItemRef, prefix: string): WireItem {
  const wire: WireItem = [
    item.id.slice(prefix.length),
    item.published,
    item.topics,
    item.ranges.flat(),
  ]
  return item.updated === undefined ? wire : [...wire, item.updated]
}

function readItem([id, published, topics, flat, updated]: WireItem, prefix: string): ItemRef {
  const ranges: [number, number][] = []
  for (let i = 0; i < flat.length; i += 2) ranges.push([flat[i]!, flat[i + 1]!])
  const item: ItemRef = { id: prefix + id, published, topics, ranges }
  if (updated !== undefined) item.updated = updated
  return item
}

function writeState(state: ScopeState, prefix: string): WireState {
  return [
    writeFormats(state.feeds),
    writeFormats(state.pages),
    state.items.map((item) => writeItem(item, prefix)),
    state.complete ? 1 : 0,
    state.archivePages,
    state.openArchive ? writeFormats(state.openArchive) : 0,
  ]
}

function readState(
  [feeds, pages, items, complete, archivePages, openArchive]: WireState,
  prefix: string,
): ScopeState {
  const state: ScopeState = {
    feeds: readFormats(feeds),
    pages: readFormats(pages),
    items: items.map((item) => readItem(item, prefix)),
    complete: complete === 1,
    archivePages,
  }
  if (openArchive !== 0) state.openArchive = readFormats(openArchive)
  return state
}

function writeTopic(topic: TopicIndex, prefix: string): WireTopic {
  return [
    topic.states.map(({ from, value }) => [from, value ? writeState(value, prefix) : 0]),
    topic.pages.map(({ from, value }) => [
      from,
      [writeDocument(value.front), value.older, value.open ? writeDocument(value.open) : 0],
    ]),
  ]
}

function readTopic(
  [states, pages]: WireTopic,
  prefix: string,
): Pick<TopicIndex, 'states' | 'pages'> {
  return {
    states: states.map(([from, value]) => ({
      from,
      value: value === 0 ? null : readState(value, prefix),
    })),
    pages: pages.map(([from, [front, older, open]]) => ({
      from,
      value:
        open === 0
          ? { front: readDocument(front), older }
          : { front: readDocument(front), older, open: readDocument(open) },
    })),
  }
}

/** The longest start every item id of every topic shares. */
function sharedIdPrefix(topics: readonly TopicIndex[]): string {
  let prefix: string | undefined
  for (const topic of topics)
    for (const { value } of topic.states)
      for (const { id } of value?.items ?? []) {
        if (prefix === undefined) prefix = id
        let length = 0
        while (length < prefix.length && prefix[length] === id[length]) length++
        prefix = prefix.slice(0, length)
      }
  return prefix ?? ''
}

/** Splits a site index into the JavaScript module's data and the Data module's bytes. */
export function splitSiteIndex(index: SiteIndex): { module: SiteIndexModule; topics: Uint8Array } {
  const encoder = new TextEncoder()
  const idPrefix = sharedIdPrefix(index.topics)
  const texts: Uint8Array[] = []
  let offset = 0
  const topics = index.topics.map((topic): TopicEntry => {
    const bytes = encoder.encode(JSON.stringify(writeTopic(topic, idPrefix)))
    texts.push(bytes)
    offset += bytes.byteLength
    return { slug: topic.slug, name: topic.name, details: [offset - bytes.byteLength, offset] }
  })
  const joined = Buffer.concat(texts)
  return { module: { ...index, topics, topicBytes: offset, idPrefix }, topics: joined }
}

/**
 * The site index over the two modules. Each topic's states and pages are
 * parsed the first time a request reads them and kept for the isolate's life.
 * Throws when the modules are not from the same build.
 */
export function openSiteIndex(
  module: SiteIndexModule,
  topicBytes: ArrayBuffer | Uint8Array,
): SiteIndex {
  const bytes = topicBytes instanceof Uint8Array ? topicBytes : new Uint8Array(topicBytes)
  if (bytes.byteLength !== module.topicBytes) {
    throw new Error(
      `[worker] site index: the topics module holds ${bytes.byteLength} bytes, the index expects ${module.topicBytes}; they come from different builds. Rebuild with npm run build:content`,
    )
  }
  const decoder = new TextDecoder()
  const { topicBytes: _bytes, idPrefix, ...rest } = module
  const topics = module.topics.map(({ slug, name, details: [start, end] }): TopicIndex => {
    let parsed: Pick<TopicIndex, 'states' | 'pages'> | undefined
    const details = () =>
      (parsed ??= readTopic(
        JSON.parse(decoder.decode(bytes.subarray(start, end))) as WireTopic,
        idPrefix,
      ))
    return {
      slug,
      name,
      get states() {
        return details().states
      },
      get pages() {
        return details().pages
      },
    }
  })
  return { ...rest, topics }
}
