import type { Problem } from '../../contract/problem.ts'
import type { ParsedArticle } from './parse-article.ts'

/**
 * Things an article had better say but can publish without. They are printed
 * by the build and by `npm run check`, and never fail either.
 */
export function findArticleWarnings(article: ParsedArticle): Problem[] {
  const warnings: Problem[] = []
  const { frontMatter, fieldLines } = article
  if (!frontMatter.summary) {
    warnings.push({
      file: article.file,
      ...(article.titleLine === undefined ? {} : { line: article.titleLine }),
      severity: 'warning',
      field: 'summary',
      message: 'the article has no summary, so feeds show the start of its first paragraph',
      hint: 'Add `summary: …` to the front matter with one or two sentences for feed readers',
    })
  }
  if (frontMatter.image && !article.credit) {
    warnings.push({
      file: article.file,
      ...(fieldLines.image === undefined ? {} : { line: fieldLines.image }),
      severity: 'warning',
      field: 'image_credit',
      message: 'the image has no credit',
      hint: 'Add `image_credit: …` naming who made the image and under what licence',
    })
  }
  return warnings
}
