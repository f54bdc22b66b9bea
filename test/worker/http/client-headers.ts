/**
 * Request headers of real clients fetching a feed URL. Those marked
 * "recorded" were captured from the client itself against a local server
 * (header names as sent; Host, Connection and compression left out where
 * they do not matter); the others cite where the value comes from.
 */

export interface Client {
  name: string
  headers: Record<string, string>
  /** What the feed URL must answer: the feed, or its HTML page. */
  gets: 'feed' | 'page'
}

const CHROME_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7'
const FIREFOX_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const NAVIGATION = {
  'Sec-Fetch-Dest': 'document',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Site': 'none',
  'Sec-Fetch-User': '?1',
  'Upgrade-Insecure-Requests': '1',
}

/** Feed readers, fetch libraries and command-line tools: all get the feed. */
export const FEED_CLIENTS: readonly Client[] = [
  {
    // JDK 8 and 11 sun.net.www.protocol.http.HttpURLConnection's default acceptString
    // (also seen in Jersey's and Maven's requests); the `*; q=.2` is malformed as sent.
    name: 'Java HttpURLConnection (JDK 8–11)',
    headers: {
      'User-Agent': 'Java/11.0.17',
      Accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2',
    },
    gets: 'feed',
  },
  {
    // Recorded: OpenJDK 17.0.15, new URL(...).openConnection().
    name: 'Java HttpURLConnection (JDK 17)',
    headers: {
      'User-Agent': 'Java/17.0.15',
      Accept: 'text/html, image/gif, image/jpeg, */*; q=0.2',
    },
    gets: 'feed',
  },
  {
    // Recorded: Python 3.11 urllib.request.urlopen; it sends no Accept at all.
    name: 'Python urllib',
    headers: { 'User-Agent': 'Python-urllib/3.11', 'Accept-Encoding': 'identity' },
    gets: 'feed',
  },
  {
    // Recorded: requests 2.34 (requests.utils.default_headers()).
    name: 'Python requests',
    headers: {
      'User-Agent': 'python-requests/2.34.2',
      'Accept-Encoding': 'gzip, deflate',
      Accept: '*/*',
    },
    gets: 'feed',
  },
  {
    // Recorded: curl 7.88.1 with no options.
    name: 'curl',
    headers: { 'User-Agent': 'curl/7.88.1', Accept: '*/*' },
    gets: 'feed',
  },
  {
    // Recorded: Go 1.19 net/http http.Get; no Accept.
    name: 'Go net/http',
    headers: { 'User-Agent': 'Go-http-client/1.1', 'Accept-Encoding': 'gzip' },
    gets: 'feed',
  },
  {
    // Recorded: feedparser 6.0.10 feedparser.parse(url) (its ACCEPT_HEADER in http.py).
    name: 'Python feedparser',
    headers: {
      'User-Agent': 'feedparser/6.0.10 +https://github.com/kurtmckee/feedparser/',
      Accept:
        'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1',
      'A-IM': 'feed',
    },
    gets: 'feed',
  },
  {
    // Recorded: newsboat 2.21 `-x reload` (libcurl's default Accept).
    name: 'newsboat',
    headers: {
      'User-Agent': 'newsboat/2.21.0 (Linux x86_64)',
      Accept: '*/*',
      'Accept-Encoding': 'gzip, deflate',
    },
    gets: 'feed',
  },
  {
    // NetNewsWire's RSWeb sets only User-Agent and the conditional-GET fields
    // (Modules/RSWeb/Sources/RSWeb/HTTPRequestHeader.swift); URLSession adds `Accept: */*`.
    name: 'NetNewsWire',
    headers: {
      'User-Agent': 'NetNewsWire (RSS Reader; https://netnewswire.com/)',
      Accept: '*/*',
      'Accept-Language': 'en-US,en;q=0.9',
    },
    gets: 'feed',
  },
  {
    // Miniflux v2 internal/reader/fetcher/request_builder.go, defaultAcceptHeader:
    // text/html at the feeds' own weight.
    name: 'Miniflux',
    headers: {
      'User-Agent': 'Mozilla/5.0 (compatible; Miniflux/2.2.0; +https://miniflux.app)',
      Accept:
        'application/xml, application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, text/html, */*;q=0.9',
      'Accept-Encoding': 'br, gzip',
    },
    gets: 'feed',
  },
  {
    // Feedly documents its fetcher's User-Agent (https://feedly.com/fetcher.html), not its Accept.
    name: 'Feedly fetcher',
    headers: {
      'User-Agent':
        'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1 subscribers; like FeedFetcher-Google)',
    },
    gets: 'feed',
  },
  {
    // A web-based reader's fetch() from its own page: CORS mode, empty destination.
    name: 'fetch() from a web page',
    headers: {
      Accept: '*/*',
      'Sec-Fetch-Dest': 'empty',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Site': 'cross-site',
    },
    gets: 'feed',
  },
  {
    // A browser without Fetch Metadata (Safari before 16.4): the feed, rendered through its XSLT.
    name: 'browser without Fetch Metadata',
    headers: {
      'User-Agent':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15',
      Accept: FIREFOX_ACCEPT,
    },
    gets: 'feed',
  },
  {
    // A navigation that refuses HTML (a user agent told to fetch the XML).
    name: 'navigation refusing HTML',
    headers: { ...NAVIGATION, Accept: 'application/xml, text/html;q=0' },
    gets: 'feed',
  },
]

/** Browser navigations to a feed URL (a typed address, a clicked link): they get the page. */
export const BROWSER_NAVIGATIONS: readonly Client[] = [
  {
    // Recorded: Chromium 156 headless, a typed address.
    name: 'Chrome',
    headers: {
      'User-Agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      Accept: CHROME_ACCEPT,
      ...NAVIGATION,
    },
    gets: 'page',
  },
  {
    // Firefox's navigation Accept (network.http.accept, since Firefox 92) and its Fetch Metadata
    // for a link followed on the same site.
    name: 'Firefox',
    headers: {
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:146.0) Gecko/20100101 Firefox/146.0',
      Accept: FIREFOX_ACCEPT,
      ...NAVIGATION,
      'Sec-Fetch-Site': 'same-origin',
    },
    gets: 'page',
  },
  {
    // Safari 16.4 and later send Fetch Metadata; its navigation Accept is Firefox's.
    name: 'Safari',
    headers: {
      'User-Agent':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15',
      Accept: FIREFOX_ACCEPT,
      'Sec-Fetch-Dest': 'document',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Site': 'none',
    },
    gets: 'page',
  },
]

/** Every client in the table. */
export const CLIENTS: readonly Client[] = [...FEED_CLIENTS, ...BROWSER_NAVIGATIONS]
