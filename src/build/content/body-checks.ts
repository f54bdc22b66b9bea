import type { Problem } from '../../contract/problem.ts'

/**
 * Mistakes in a body that would silently lose text. Markup an author did not
 * mean to publish (scripts, event handlers) is removed by the sanitizer
 * instead; these are kept as problems because the fix is the author's.
 */

/**
 * An HTML comment that is never closed hides everything after it, as it does
 * in a browser (HTML Living Standard, section 13.2.5.43 "comment state" runs
 * to the end of the file), so the rest of the article would vanish.
 */
export function checkUnclosedComment(
  file: string,
  body: string,
  bodyLine: number,
): Problem | undefined {
  let opening = body.indexOf('<!--')
  while (opening >= 0) {
    const closing = body.indexOf('-->', opening + 4)
    if (closing < 0) break
    opening = body.indexOf('<!--', closing + 3)
  }
  if (opening < 0) return undefined
  return {
    file,
    line: bodyLine + body.slice(0, opening).split('\n').length - 1,
    field: 'body',
    message: 'an HTML comment opened here is never closed, so everything after it would be hidden',
    hint: 'Close the comment with `-->`, or write `&lt;!--` to show the characters',
  }
}
