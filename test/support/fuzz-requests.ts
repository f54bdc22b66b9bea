import fc from 'fast-check'
import { CANARIES, type FuzzRequest } from './http-invariants.ts'

/**
 * fast-check generators of requests a hostile or broken client could send:
 * known routes bent out of shape, traversal and encoding tricks, huge and
 * repeated headers, garbage validators and odd Accept values. Everything is
 * plain data (FuzzRequest) so a shrunk failure can be kept as it is.
 */

/**
 * Every method workerd delivers to a worker (its HTTP parser knows these and
 * refuses any other before the worker runs), in both cases where it accepts both.
 */
export const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'PURGE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'ACL',
  'QUERY',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'MERGE',
  'CHECKOUT',
  'MKACTIVITY',
  'MSEARCH',
  'TRACE',
  'get',
  'patch',
]

const ORIGINS = [
  'http://localhost:8787',
  'https://news.example.com',
  'http://127.0.0.1:8770',
  'http://[::1]:8080',
  'https://xn--80ak6aa92e.com',
]

const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '%252e%252e',
  '.%2e',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5c..%5c',
  '%00',
  '%',
  '%zz',
  '%e9',
  '%c0%ae',
  '%ff%fe',
  '%ED%A0%80',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%0d%0aSet-Cookie:%20x=1',
  'ü',
  '日本語',
  '😀',
  '\u202e',
  'x y',
  '\\',
  ';',
  '@evil.example',
  '//evil.example',
  'javascript:alert(1)',
  'index.php',
  '.env',
  'wrangler.toml',
  '%3Cfuzz-tag%3E',
  ...CANARIES.map(encodeURIComponent),
  ...CANARIES,
]

const ROUTE_SEGMENTS = ['', 'topics', 'articles', 'rss.xml', 'atom.xml', 'feed.json', 'style.css']

/** A header value as fetch allows it: bytes 0x20 to 0x7E and tab (RFC 9110 section 5.5). */
const headerValue = fc
  .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes).trim())

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/)

/** Paths: the site's own routes, bent, or random segments, sometimes 8 kB long. */
export function pathArbitrary(knownPaths: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 2, arbitrary: fc.constantFrom(...ROUTE_SEGMENTS) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,24}$/) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent) },
  )
  const randomPath = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([segments, slash]) => `/${segments.join('/')}${slash ? '/' : ''}`)
  const bentKnown = fc
    .tuple(
      fc.constantFrom(...knownPaths),
      segment,
      fc.constantFrom('prefix', 'suffix', 'upper', 'double-slash'),
    )
    .map(([path, extra, how]) => {
      if (how === 'prefix') return `/${extra}${path}`
      if (how === 'suffix') return `${path}${extra}`
      if (how === 'upper') return path.toUpperCase()
      return path.replace(/\//g, '//')
    })
  const longPath = fc
    .tuple(fc.integer({ min: 3000, max: 9000 }), fc.constantFrom('a', '%2e', '../', '😀'))
    .map(([length, unit]) => `/${unit.repeat(Math.ceil(length / unit.length))}`.slice(0, length))
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...knownPaths) },
    { weight: 3, arbitrary: bentKnown },
    { weight: 3, arbitrary: randomPath },
    { weight: 1, arbitrary: longPath },
  )
}

const queryPart = fc.oneof(
  fc.constantFrom(
    ...HOSTILE_SEGMENTS,
    'format=rss',
    'page=-1',
    'limit=999999',
    '=',
    '&&',
    'a=%',
    'a=%00',
  ),
  fc
    .tuple(token, fc.string({ maxLength: 30 }))
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`),
)

const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .array(queryPart, { minLength: 1, maxLength: 5 })
      .map((parts) => `?${parts.join('&')}`),
  },
)

const conditionalHeaders = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['If-None-Match', '"'],
    ['If-None-Match', '*'],
    ['If-None-Match', 'W/'],
    ['If-None-Match', 'W/"x", "y",, ,'],
    ['If-None-Match', `"${'a'.repeat(300)}"`],
    ['If-Modified-Since', 'yesterday'],
    ['If-Modified-Since', ''],
    ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['If-Modified-Since', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ['If-Modified-Since', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['If-Modified-Since', '-1'],
    ['If-Unmodified-Since', 'never'],
    ['If-Match', '"'],
    ['If-Range', 'W/"x"'],
    ['Range', 'bytes=0-0,-1'],
  ),
  fc.tuple(fc.constantFrom('If-None-Match', 'If-Modified-Since'), headerValue),
)

const acceptHeaders = fc.tuple(
  fc.constant('Accept'),
  fc.oneof(
    fc.constantFrom(
      '*/*',
      'application/rss+xml;q=0',
      'text/html;q=abc',
      'application/feed+json, */*;q=0.1',
      '',
      ';;;',
      'text/*;level=1;q=1.5',
      'application/xml'.repeat(100),
    ),
    headerValue,
  ),
)

const otherHeaders = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'Accept-Encoding',
      'Accept-Language',
      'User-Agent',
      'Cookie',
      'Origin',
      'Referer',
      'X-Forwarded-For',
    ),
    headerValue,
  ),
  fc.tuple(fc.constantFrom('X-Fuzz', 'Cookie', 'User-Agent'), fc.constantFrom(...CANARIES)),
  fc.tuple(token, headerValue),
)

/** One header of up to 40 kB, or the same header repeated up to 200 times. */
const bigHeaders = fc.oneof(
  fc
    .integer({ min: 1, max: 40_000 })
    .map((length): [string, string][] => [['X-Big', 'b'.repeat(length)]]),
  fc
    .tuple(
      fc.constantFrom('Accept', 'If-None-Match', 'X-Repeat', 'Cookie'),
      fc.integer({ min: 2, max: 200 }),
    )
    .map(([name, count]): [string, string][] =>
      Array.from({ length: count }, (_, index) => [name, `"v${index}"`]),
    ),
)

/** Requests against a site whose real paths are `knownPaths`. */
export function requestArbitrary(knownPaths: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('GET', 'HEAD') },
      { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
    ),
    origin: fc.constantFrom(...ORIGINS),
    target: fc.tuple(pathArbitrary(knownPaths), query).map(([path, search]) => `${path}${search}`),
    headers: fc
      .tuple(
        fc.array(fc.oneof(conditionalHeaders, acceptHeaders, otherHeaders), { maxLength: 6 }),
        fc.option(bigHeaders, { freq: 8 }),
      )
      .map(([few, big]) => [...few, ...(big ?? [])]),
  })
}
