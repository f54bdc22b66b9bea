import { FEED_MEDIA_TYPES, type FeedFormat } from '../../site/urls.ts'

/**
 * Proactive negotiation between a feed and its readable HTML page (RFC 9110
 * section 12.5.1). Browsers put `text/html` first and everything else at a
 * lower weight; feed readers ask for the feed types, for XML, or for any
 * type. The HTML page is chosen only when the client weighs `text/html`
 * strictly above every type the feed itself could be served as, so a tie (a
 * bare wildcard, or no Accept at all) always gets the feed.
 */

interface MediaRange {
  type: string
  subtype: string
  /** Weight from 0 to 1 (section 12.4.2). */
  q: number
}

function parseAccept(field: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of field.split(',')) {
    const [range = '', ...parameters] = part.split(';')
    const [type, subtype] = range.trim().toLowerCase().split('/')
    if (!type || !subtype) continue
    let q = 1
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=')
      if (name?.trim().toLowerCase() !== 'q' || value === undefined) continue
      const weight = Number(value.trim())
      // Section 12.4.2: a weight is 0 to 1 with at most three decimals; ignore anything else.
      q = Number.isFinite(weight) && weight >= 0 && weight <= 1 ? weight : 1
    }
    ranges.push({ type, subtype, q })
  }
  return ranges
}

/** Weight of one media type: the most specific matching range wins (section 12.5.1). */
function weightOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/')
  let best = { specificity: -1, q: 0 }
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1
    if (specificity > best.specificity) best = { specificity, q: range.q }
  }
  return best.q
}

/**
 * True when the request's Accept field prefers `text/html` over every one of
 * `feedTypes`, the media types the feed answers to (its own and the generic
 * XML or JSON ones readers also send).
 */
export function prefersHtml(
  accept: string | null | undefined,
  feedTypes: readonly string[],
): boolean {
  if (!accept) return false
  const ranges = parseAccept(accept)
  const html = weightOf(ranges, 'text/html')
  return html > 0 && feedTypes.every((type) => html > weightOf(ranges, type))
}

/** The media types a reader may ask for to get each feed format. */
export const FEED_ACCEPT_TYPES: Record<FeedFormat, readonly string[]> = {
  rss: [FEED_MEDIA_TYPES.rss, 'application/xml', 'text/xml'],
  atom: [FEED_MEDIA_TYPES.atom, 'application/xml', 'text/xml'],
  json: [FEED_MEDIA_TYPES.json, 'application/json'],
}
