/**
 * Text clean-up shared by the build and the feed adapter.
 */

/**
 * Characters that XML 1.0 forbids (section 2.2, production [2] Char): C0
 * controls other than tab, LF and CR, lone surrogates, and U+FFFE/U+FFFF.
 * JSON could carry them, but readers choke on them, so they go everywhere.
 */
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Where a forbidden character may be: the same characters, and every
 * surrogate, paired or not. Without lookarounds it is a single linear scan,
 * about three times as fast over an article's HTML as the full pattern.
 */
const MAYBE_XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/

/** Removes every character XML 1.0 does not allow. */
export function stripXmlForbidden(text: string): string {
  // Almost every text has none: each item's HTML is stripped once per feed format it is in.
  return MAYBE_XML_FORBIDDEN.test(text) ? text.replace(XML_FORBIDDEN, '') : text
}

/**
 * Turns a name into a URL segment: lower case, Latin accents folded, every run of
 * other characters one hyphen. Letters of other scripts are kept (URLs carry
 * them percent-encoded), so a topic named in Ukrainian still gets a slug.
 */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      // Accents are folded on Latin letters only; in other scripts (Ukrainian ї) they are part of the letter.
      .replace(/([A-Za-z])\p{M}+/gu, '$1')
      .normalize('NFC')
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
  )
}

/** Collapses runs of white space to one space and trims the ends. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Cuts text to at most `max` characters at a word boundary, adding an ellipsis. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, '')}…`
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/**
 * Bytes a string takes in UTF-8, counted without encoding it: what
 * `new TextEncoder().encode(text).byteLength` gives, a lone surrogate
 * included (it is written as U+FFFD, three bytes).
 */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
