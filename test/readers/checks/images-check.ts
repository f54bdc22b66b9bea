import { XMLParser } from 'fast-xml-parser'
import type { CheckResult, ExpectedItem, FetchedFeed } from '../report.ts'
import { type Checker, expectedFor } from './context.ts'

/**
 * Pictures, as readers that show them look for them: every item's image as
 * Media RSS (`media:content` with type, medium, width, height and file size,
 * and `media:thumbnail`) and as an enclosure with its true length in RSS and
 * Atom, as `image` and an attachment in JSON Feed. Then every image URL, and
 * every site icon a feed names, is fetched: it must answer 200 with
 * its type, and an image from the seeds folder with exactly its length.
 */

const TOOL = 'images'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'media:content', 'media:thumbnail'].includes(name),
})

type Node = Record<string, unknown>

const nodes = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : [])

function attributeProblems(
  where: string,
  node: Node | undefined,
  wanted: Record<string, string | number | undefined>,
): string[] {
  if (!node) return [`${where}: missing`]
  return Object.entries(wanted)
    .filter(([, value]) => value !== undefined)
    .filter(([name, value]) => node[`@_${name}`] !== String(value))
    .map(
      ([name, value]) =>
        `${where} ${name}: expected ${JSON.stringify(String(value))}, got ${JSON.stringify(node[`@_${name}`])}`,
    )
}

/** The Media RSS elements of one RSS item or Atom entry. */
function mediaProblems(where: string, item: Node, image: NonNullable<ExpectedItem['image']>) {
  const content = nodes(item['media:content'])[0]
  const thumbnail = nodes(item['media:thumbnail'])[0]
  return [
    ...attributeProblems(`${where}: media:content`, content, {
      url: image.url,
      type: image.type,
      medium: 'image',
      width: image.width,
      height: image.height,
      fileSize: image.length,
    }),
    ...attributeProblems(`${where}: media:thumbnail`, thumbnail, {
      url: image.url,
      width: image.width,
      height: image.height,
    }),
  ]
}

interface Wanted {
  url: string
  type: string
  length?: number
}

function documentProblems(feed: FetchedFeed, items: readonly ExpectedItem[], fetches: Wanted[]) {
  const problems: string[] = []
  const images = items.map((item) => item.image)
  if (feed.format === 'json') {
    const document = JSON.parse(feed.body) as Node
    const entries = nodes(document.items)
    images.forEach((image, index) => {
      if (!image) return
      const where = `item ${index + 1}`
      const entry = entries[index] ?? {}
      if (entry.image !== image.url)
        problems.push(`${where}: image: ${JSON.stringify(entry.image)}`)
      const attachment = nodes(entry.attachments)[0] ?? {}
      if (attachment.mime_type !== image.type || attachment.size_in_bytes !== image.length)
        problems.push(`${where}: attachment: ${JSON.stringify(attachment)}`)
    })
    for (const field of ['icon', 'favicon'])
      if (typeof document[field] === 'string')
        fetches.push({ url: document[field] as string, type: 'image/png' })
    return problems
  }
  const document = parser.parse(feed.body) as Node
  if (feed.format === 'rss') {
    const channel = (document.rss as Node).channel as Node
    const entries = nodes(channel.item)
    images.forEach((image, index) => {
      if (!image) return
      const where = `item ${index + 1}`
      const item = entries[index] ?? {}
      problems.push(
        ...attributeProblems(`${where}: enclosure`, item.enclosure as Node | undefined, {
          url: image.url,
          type: image.type,
          length: image.length ?? 0,
        }),
        ...mediaProblems(where, item, image),
      )
    })
    const icon = channel.image as Node | undefined
    if (icon) fetches.push({ url: String(icon.url), type: 'image/png' })
    return problems
  }
  const root = document.feed as Node
  const entries = nodes(root.entry)
  images.forEach((image, index) => {
    if (!image) return
    const where = `entry ${index + 1}`
    const entry = entries[index] ?? {}
    const enclosure = nodes(entry.link).find((link) => link['@_rel'] === 'enclosure')
    problems.push(
      ...attributeProblems(`${where}: enclosure link`, enclosure, {
        href: image.url,
        type: image.type,
        length: image.length,
      }),
      ...mediaProblems(where, entry, image),
    )
  })
  for (const field of ['icon', 'logo'])
    if (typeof root[field] === 'string')
      fetches.push({ url: root[field] as string, type: 'image/png' })
  return problems
}

/** Fetches each URL once: 200, its type, and its length where known. */
async function fetchProblems(wanted: Wanted, answered: Map<string, Promise<string[]>>) {
  let known = answered.get(wanted.url)
  if (!known) {
    known = (async () => {
      try {
        const response = await fetch(wanted.url, { signal: AbortSignal.timeout(30_000) })
        const body = new Uint8Array(await response.arrayBuffer())
        const problems: string[] = []
        if (response.status !== 200) problems.push(`answers ${response.status}`)
        const type = response.headers.get('content-type') ?? ''
        if (!type.startsWith(wanted.type)) problems.push(`is served as ${JSON.stringify(type)}`)
        if (wanted.length !== undefined && body.byteLength !== wanted.length)
          problems.push(`has ${body.byteLength} bytes, the feed says ${wanted.length}`)
        return problems.map((problem) => `${wanted.url} ${problem}`)
      } catch (error) {
        return [`${wanted.url} cannot be fetched: ${(error as Error).message}`]
      }
    })()
    answered.set(wanted.url, known)
  }
  return known
}

export const checkImages: Checker = async (feeds, context) => {
  const answered = new Map<string, Promise<string[]>>()
  const results: CheckResult[] = []
  for (const feed of feeds) {
    const expected = expectedFor(feed, context)
    if ('missing' in expected) {
      results.push({ feed: feed.url, tool: TOOL, problems: [expected.missing] })
      continue
    }
    const fetches: Wanted[] = []
    let problems: string[]
    try {
      problems = documentProblems(feed, expected.items, fetches)
    } catch (error) {
      problems = [`cannot be read: ${(error as Error).message}`]
    }
    // Images from the seeds folder are this site's: fetched, with their length checked.
    for (const item of expected.items)
      if (item.image?.length !== undefined) fetches.push(item.image as Wanted)
    for (const wanted of fetches) problems.push(...(await fetchProblems(wanted, answered)))
    results.push({ feed: feed.url, tool: TOOL, problems })
  }
  return results
}
