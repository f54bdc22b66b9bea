import type { CheckResult, FetchedFeed } from '../report.ts'
import type { CheckContext, Checker } from './context.ts'
import { checkWithFeedparser } from './feedparser-check.ts'
import { checkWithGofeed } from './gofeed-check.ts'
import { checkImages } from './images-check.ts'
import { checkJsonFeeds } from './json-feed-check.ts'
import { checkWithNewsboat } from './newsboat-check.ts'
import { checkWithNpmParsers } from './npm-parsers-check.ts'
import { checkXmlRules } from './xml-rules-check.ts'
import { checkWithXmllint } from './xmllint-check.ts'

/** Every checker of the suite, in the order they run; newsboat fetches the feeds itself. */
export const CHECKERS: readonly Checker[] = [
  checkWithXmllint,
  checkXmlRules,
  checkWithFeedparser,
  checkWithGofeed,
  checkWithNewsboat,
  checkWithNpmParsers,
  checkJsonFeeds,
  checkImages,
]

/** Runs every checker over the feeds, one after another (the machine is shared). */
export async function runCheckers(
  feeds: readonly FetchedFeed[],
  context: CheckContext,
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const checker of CHECKERS) results.push(...(await checker(feeds, context)))
  return results
}

/** The HTTP side of each fetched feed: status, media type, no byte-order mark. */
export function checkHttp(feeds: readonly FetchedFeed[]): CheckResult[] {
  const types = {
    rss: 'application/rss+xml',
    atom: 'application/atom+xml',
    json: 'application/feed+json',
  }
  return feeds.map((feed) => {
    const problems: string[] = []
    if (feed.status !== 200) problems.push(`status: ${feed.status}`)
    if (!feed.contentType.startsWith(types[feed.format]))
      problems.push(
        `content-type: ${JSON.stringify(feed.contentType)}, expected ${types[feed.format]}`,
      )
    if (feed.bytes[0] === 0xef && feed.bytes[1] === 0xbb && feed.bytes[2] === 0xbf)
      problems.push('body starts with a byte-order mark')
    return { feed: feed.url, tool: 'http', problems }
  })
}
