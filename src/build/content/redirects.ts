import type { CompiledArticle } from '../../contract/compiled.ts'
import type { Problem } from '../../contract/problem.ts'
import type { ParsedArticle } from './parse-article.ts'

/**
 * `redirect_from`: the URLs an article was published under before it moved.
 * Each answers 301 to the article's URL, so readers' links and bookmarks keep
 * working, and the published-article lock accepts the move.
 */

const OLD_URL = /^(?:\/articles\/)?([^/\s]+)\/?$/

function lineOf(article: ParsedArticle): { line?: number } {
  const line = article.fieldLines.redirect_from
  return line === undefined ? {} : { line }
}

/** The old slugs of an article, from `/articles/<slug>/` or a bare slug. */
export function redirectsFor(article: ParsedArticle, problems: Problem[]): string[] {
  const slugs: string[] = []
  for (const value of article.frontMatter.redirect_from ?? []) {
    const path = value.trim().replace(/^https?:\/\/[^/]+/i, '')
    const match = OLD_URL.exec(path)
    if (!match) {
      problems.push({
        file: article.file,
        ...lineOf(article),
        field: 'redirect_from',
        message: `"${value}" is not an article URL`,
        hint: 'List the old URLs as they were published, like [/articles/old-name/]',
      })
      continue
    }
    const slug = decodeURIComponent(match[1]!)
    if (!slugs.includes(slug)) slugs.push(slug)
  }
  return slugs
}

/** An old URL may not be another article's live URL or another article's old URL. */
export function findRedirectConflicts(
  entries: readonly {
    article: CompiledArticle
    file: string
    places: { redirectFromLine?: number }
  }[],
  problems: Problem[],
): void {
  const live = new Map(entries.map((entry) => [entry.article.slug, entry.file]))
  const claimed = new Map<string, string>()
  for (const { article, file, places } of entries) {
    for (const slug of article.redirectFrom ?? []) {
      const other = live.get(slug) ?? claimed.get(slug)
      if (other !== undefined) {
        problems.push({
          file,
          ...(places.redirectFromLine === undefined ? {} : { line: places.redirectFromLine }),
          field: 'redirect_from',
          message: `/articles/${slug}/ is already the URL of ${other}`,
          hint: 'An old URL can lead to one article only; remove it from one of the two',
        })
      } else {
        claimed.set(slug, file)
      }
    }
  }
}
