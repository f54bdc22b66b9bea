/**
 * Which variant of a feed URL a request gets: the feed itself, or its
 * readable HTML page. Accept alone cannot tell a browser from a feed client:
 * Java's HttpURLConnection sends `text/html` first by default and Miniflux
 * lists `text/html` at the feeds' own weight. Browsers say explicitly that a
 * request is a navigation with Fetch Metadata (W3C Fetch Metadata Request
 * Headers, sections 2.1 and 2.3): `Sec-Fetch-Dest: document` for a top-level
 * page, `Sec-Fetch-Mode: navigate` for any navigation. Only such a request,
 * with `text/html` acceptable (RFC 9110 section 12.5.1), gets the page;
 * everything else gets the feed. A browser without Fetch Metadata gets the
 * feed too, and renders it through the `<?xml-stylesheet?>` the feed names
 * (RSS and Atom), as a last resort.
 */

/**
 * The request fields the choice reads, for `Vary` (RFC 9110 section 12.5.5):
 * a cache that keys on Vary (Workers Cache does) never hands one variant to
 * a request that should get the other.
 */
export const FEED_VARY = 'Accept, Sec-Fetch-Dest, Sec-Fetch-Mode'

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

/** True when the Accept field lets `text/html` through (no Accept at all accepts anything). */
export function acceptsHtml(accept: string | null | undefined): boolean {
  if (accept === null || accept === undefined) return true
  return weightOf(parseAccept(accept), 'text/html') > 0
}

/** True when Fetch Metadata marks the request as a browser navigation. */
export function isNavigation(headers: Headers): boolean {
  return (
    headers.get('sec-fetch-mode')?.trim().toLowerCase() === 'navigate' ||
    headers.get('sec-fetch-dest')?.trim().toLowerCase() === 'document'
  )
}

/**
 * True when a request for a feed URL should get the feed's HTML page: a
 * browser navigation that accepts HTML. It reads exactly the fields named in
 * FEED_VARY.
 */
export function wantsFeedPage(headers: Headers): boolean {
  return isNavigation(headers) && acceptsHtml(headers.get('accept'))
}
