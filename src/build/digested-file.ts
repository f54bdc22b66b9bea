import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFileAtomicallySync } from './atomic-file.ts'

/**
 * A build cache file that carries a digest of itself: a SHA-256 of the rest
 * (base64url), a newline, then the text. One edited by hand, cut short or
 * half written is told apart and not used. The digest is of the text as
 * written, not of what it holds written out again: at 100,000 articles the
 * fragment index is 15 MB of JSON, which a second JSON.stringify made twice a
 * build for nothing. The fragment index (prerender/fragment-file.ts) and the
 * pictures' facts (media-facts.ts) are kept this way.
 */

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

/** Writes `text` to `path` whole (see atomic-file.ts), after its digest. */
export function writeDigestedFileSync(path: string, text: string): void {
  writeFileAtomicallySync(path, `${digestOf(text)}\n${text}`)
}

/** The text of the file at `path`, if it is there and its digest matches; otherwise undefined. */
export function readDigestedFileSync(path: string): string | undefined {
  let file: string
  try {
    file = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  const newline = file.indexOf('\n')
  if (newline < 0) return undefined
  const text = file.slice(newline + 1)
  return file.slice(0, newline) === digestOf(text) ? text : undefined
}
