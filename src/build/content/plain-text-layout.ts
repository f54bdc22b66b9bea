import { type DateResult, parseDateLine } from './dates.ts'

/**
 * The plain-text layout that articles saved from news sites come in:
 *
 *     # Title
 *     October 22, 2024
 *     Caption. **Credit**
 *     Body…
 *     Original url:
 *     <https://…>
 *
 * Such a file is served as it is, so nobody has to convert it by hand. Its
 * body is text with markdown's emphasis and links: a `<` in it starts no
 * HTML, so `<script>` written about in an article stays, as words.
 */
export interface PlainTextLayout {
  title: { text: string; line: number }
  date?: { result: DateResult; text: string; line: number }
  caption?: string
  credit?: string
  sourceUrl?: { url: string; line: number }
  /** What is left once the parts above are taken out: markdown. */
  body: string
}

const HEADING = /^#\s+(.+?)\s*#*\s*$/
const TRAILER = /^original\s+url\s*:\s*(.*)$/i
/** A caption ending in a bold credit, as picture credits are written: `Soldiers. **Jane Doe (CC BY 2.0)**`. */
const CAPTION_CREDIT = /^(.*?)\s*\*\*([^*]+)\*\*\s*$/

function nextNonBlank(lines: readonly string[], from: number): number {
  let index = from
  while (index < lines.length && lines[index]!.trim() === '') index++
  return index
}

/** The URL of an `Original url:` line, without the `<…>` or quotes (straight or curly) around it. */
function unwrapUrl(text: string): string {
  return text
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .replace(/^["“”'‘’](.*)["“”'‘’]$/, '$1')
    .trim()
}

/**
 * Makes every `<` text for markdown with a backslash escape (CommonMark 0.31,
 * section 2.4), outside code spans, where a backslash would show.
 */
function escapeAngleBrackets(text: string): string {
  return text
    .split(/(`+[^`\n]*`+)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/</g, '\\<')))
    .join('')
}

/**
 * Reads the layout from the lines of an article body. `firstLine` is the file
 * line of `lines[0]`, so that problems point at the right place. Returns
 * undefined when the body does not open with a `# Title` heading, or, unless
 * `headingIsEnough`, when no date line follows the heading.
 */
export function readPlainTextLayout(
  lines: readonly string[],
  firstLine: number,
  headingIsEnough: boolean,
): PlainTextLayout | undefined {
  const headingAt = nextNonBlank(lines, 0)
  const heading = HEADING.exec(lines[headingAt] ?? '')
  if (!heading) return undefined
  const layout: PlainTextLayout = {
    title: { text: heading[1]!, line: firstLine + headingAt },
    body: '',
  }
  let cursor = headingAt + 1

  const dateAt = nextNonBlank(lines, cursor)
  const dateResult = parseDateLine(lines[dateAt] ?? '')
  if (dateResult) {
    layout.date = { result: dateResult, text: lines[dateAt]!.trim(), line: firstLine + dateAt }
    cursor = dateAt + 1
  } else if (!headingIsEnough) {
    return undefined
  }

  const captionAt = nextNonBlank(lines, cursor)
  const captionLine = lines[captionAt] ?? ''
  const captionEnds = (lines[captionAt + 1] ?? '').trim() === ''
  const credit = CAPTION_CREDIT.exec(captionLine.trim())
  if (
    credit &&
    captionEnds &&
    captionLine.length <= 300 &&
    !/^\*\*[^*]+:\*\*/.test(captionLine.trim())
  ) {
    if (credit[1]) layout.caption = credit[1]
    layout.credit = credit[2]!.trim()
    cursor = captionAt + 1
  }

  let end = lines.length
  for (let index = lines.length - 1; index >= cursor; index--) {
    const trailer = TRAILER.exec(lines[index]!.trim())
    if (!trailer) continue
    const inline = unwrapUrl(trailer[1] ?? '')
    if (inline) {
      layout.sourceUrl = { url: inline, line: firstLine + index }
    } else {
      const urlAt = nextNonBlank(lines, index + 1)
      if (urlAt < lines.length) {
        layout.sourceUrl = { url: unwrapUrl(lines[urlAt]!), line: firstLine + urlAt }
      }
    }
    end = index
    break
  }

  layout.body = escapeAngleBrackets(lines.slice(cursor, end).join('\n').trim())
  return layout
}
