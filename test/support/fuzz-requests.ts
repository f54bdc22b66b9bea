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
  '..\\',
  '\\..\\evil.example',
  '..\\\\evil.example',
  '.\\/evil.example',
  '%5c..%5c',
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
      fc.constantFrom('prefix', 'suffix', 'upper', 'double-slash', 'backslash', 'mixed-slash'),
    )
    .map(([path, extra, how]) => {
      if (how === 'prefix') return `/${extra}${path}`
      if (how === 'suffix') return `${path}${extra}`
      if (how === 'upper') return path.toUpperCase()
      if (how === 'backslash') return path.replace(/\//g, '\\')
      if (how === 'mixed-slash')
        return path.replace(/\//g, (_, at: number) => (at % 2 ? '\\' : '/\\'))
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

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** One instant as an HTTP-date in each of its three forms (RFC 9110 section 5.6.7), or mangled. */
export const httpDate = fc
  .tuple(
    fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('imf', 'rfc850', 'asctime', 'lowercase', 'iso'),
  )
  .map(([date, form]) => {
    const imf = date.toUTCString()
    const [, day, month, year, time] = imf.split(' ')
    const weekday = DAYS[date.getUTCDay()]!
    if (form === 'rfc850') return `${weekday}, ${day}-${month}-${year!.slice(-2)} ${time} GMT`
    if (form === 'asctime') {
      return `${weekday.slice(0, 3)} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${year}`
    }
    if (form === 'lowercase') return imf.toLowerCase()
    if (form === 'iso') return date.toISOString()
    return imf
  })

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
    ['If-Unmodified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['If-Unmodified-Since', 'Thursday, 01-Jan-70 00:00:00 GMT'],
    ['If-Match', '"'],
    ['If-Match', '"nope"'],
    ['If-Match', '*'],
    ['If-Match', 'W/"x"'],
    ['If-None-Match', 'garbage*'],
    ['If-None-Match', 'W/*'],
    ['If-Modified-Since', 'Fri, 01 Jan 2999 00:00:00 GMT'],
    ['If-Modified-Since', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['If-Modified-Since', 'Sun Nov  6 08:49:37 1994'],
    ['If-Range', 'W/"x"'],
    ['If-Range', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['Range', 'bytes=0-0,-1'],
    ['Range', 'bytes=0-'],
    ['Range', 'bytes=-1'],
    ['Range', 'bytes=99999999-'],
    ['Range', `bytes=${Array.from({ length: 200 }, (_, index) => `${index}-${index}`).join(',')}`],
  ),
  fc.tuple(fc.constantFrom('If-None-Match', 'If-Modified-Since', 'If-Match', 'Range'), headerValue),
  fc.tuple(fc.constantFrom('If-Modified-Since', 'If-Unmodified-Since', 'If-Range'), httpDate),
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

/**
 * Hosts a client can send that are not one valid host: spaces, markup, a
 * pipe, two Host fields as workerd joins them, a backslash, userinfo, an
 * empty one, a broken IPv6 literal, a port out of range.
 */
export const GARBAGE_HOSTS = [
  'a b',
  'a<b>.example',
  'x|y',
  'a.example, b.example',
  '127.0.0.1:8787\\evil.com',
  '127.0.0.1:8787\\\\evil.com',
  'evil.com\\@127.0.0.1',
  'evil.com@127.0.0.1',
  '',
  '[::1',
  'a.example:99999',
  'exa\tmple.com',
  '%65vil.com',
  '-',
  ...CANARIES,
]

/** Valid hosts in every spelling: each is another origin, so another key in every cache. */
export const VALID_HOSTS = [
  'localhost:8787',
  '127.0.0.1:8787',
  '[::1]:8080',
  'news.example.com',
  'xn--80ak6aa92e.com.',
]

type Shape =
  | { kind: 'plain' }
  | { kind: 'asterisk'; method: string }
  | { kind: 'body'; bytes: number }
  | { kind: 'connect' }

/**
 * Requests as they reach a worker from raw HTTP: the Host and the target as
 * sent (`raw: true`), garbage Hosts, backslashes and dot segments kept,
 * `OPTIONS *` and `*` with other methods, content on GET (only a socket can
 * send it), and CONNECT when `connect` is true (only the runtime delivers it).
 */
export function rawRequestArbitrary(
  knownPaths: readonly string[],
  options: { bodies?: boolean; connect?: boolean } = {},
): fc.Arbitrary<FuzzRequest> {
  const base = requestArbitrary(knownPaths)
  const host = fc.oneof(fc.constantFrom(...GARBAGE_HOSTS), fc.constantFrom(...VALID_HOSTS))
  const shapes = [
    { weight: 12, arbitrary: fc.constant<Shape>({ kind: 'plain' }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('OPTIONS', 'OPTIONS', 'GET', 'HEAD')
        .map((method): Shape => ({ kind: 'asterisk', method })),
    },
    ...(options.bodies
      ? [
          {
            weight: 2,
            arbitrary: fc
              .constantFrom(1, 1024, 70 * 1024)
              .map((bytes): Shape => ({ kind: 'body', bytes })),
          },
        ]
      : []),
    ...(options.connect ? [{ weight: 1, arbitrary: fc.constant<Shape>({ kind: 'connect' }) }] : []),
  ]
  return fc.tuple(base, host, fc.oneof(...shapes)).map(([request, origin, shape]): FuzzRequest => {
    const raw = { ...request, raw: true, origin: `http://${origin}` }
    if (shape.kind === 'asterisk') return { ...raw, method: shape.method, target: '*' }
    if (shape.kind === 'connect')
      return { ...raw, method: 'CONNECT', target: origin || 'example.com:443' }
    if (shape.kind === 'body')
      return { ...raw, method: request.target.length % 2 ? 'GET' : 'HEAD', bodyBytes: shape.bytes }
    return raw
  })
}
