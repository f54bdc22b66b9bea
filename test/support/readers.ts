import { XMLValidator } from 'fast-xml-parser'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import { expect } from 'vitest'

/**
 * What a feed reader sees. Feeds are parsed with feedsmith, an independent
 * parser used by readers, never with the code that wrote them, and XML is
 * checked for well-formedness with fast-xml-parser's strict validator.
 */

export function expectWellFormedXml(xml: string): void {
  const verdict = XMLValidator.validate(xml, { allowBooleanAttributes: false })
  expect(verdict, JSON.stringify(verdict)).toBe(true)
}

/** Decodes the entities of HTML text, as a reader does before showing an Atom `type="html"` title. */
export function htmlText(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

export function readRss(xml: string) {
  expectWellFormedXml(xml)
  return parseRssFeed(xml)
}

export function readAtom(xml: string) {
  expectWellFormedXml(xml)
  return parseAtomFeed(xml)
}

export function readJsonFeed(text: string) {
  const raw = JSON.parse(text) as Record<string, unknown>
  return { raw, feed: parseJsonFeed(raw) }
}
