import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/**
 * Markdown to safe HTML with absolute links. Runs at build time only: the
 * worker serves the result and never parses markdown.
 */

const marked = new Marked({
  gfm: true,
  renderer: {
    // `[text](#)` is how saved web pages keep links whose target was lost: keep the words, drop the dead link.
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens)
      if (href.trim() === '' || href.trim() === '#') return label
      return false
    },
  },
})

/** Schemes a link in an article may use; anything else (javascript:, data:) is removed. */
const LINK_SCHEMES = ['http', 'https', 'mailto']

/**
 * Resolves a link or image reference against the article's own URL.
 * Returns undefined for references that cannot be made absolute.
 */
function resolveReference(reference: string, articleUrl: string): string | undefined {
  try {
    const url = new URL(reference.trim(), articleUrl)
    return LINK_SCHEMES.includes(url.protocol.slice(0, -1)) ? url.href : undefined
  } catch {
    return undefined
  }
}

function sanitize(html: string, articleUrl: string): string {
  const absolute =
    (attribute: string) =>
    (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
      const value = attribs[attribute]
      const resolved = value === undefined ? undefined : resolveReference(value, articleUrl)
      const { [attribute]: _dropped, ...rest } = attribs
      return {
        tagName,
        attribs: resolved === undefined ? rest : { ...rest, [attribute]: resolved },
      }
    }
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'ins'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      ol: ['start', 'reversed'],
      '*': ['lang', 'dir'],
    },
    allowedSchemes: LINK_SCHEMES,
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { a: absolute('href'), img: absolute('src') },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  })
}

/**
 * Renders an article body. `articleUrl` is the absolute URL of the article's
 * page, against which relative links and images are resolved.
 */
export function renderMarkdown(markdown: string, articleUrl: string): string {
  const html = marked.parse(markdown, { async: false })
  return sanitize(html, articleUrl).trim()
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** The text of an HTML fragment, as a reader would see it, on one line. */
export function htmlToText(html: string): string {
  const stripped = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
  return stripped
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity.startsWith('#x') || entity.startsWith('#X')) {
        return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
      }
      if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)))
      return ENTITIES[entity.toLowerCase()] ?? whole
    })
    .replace(/\s+/g, ' ')
    .trim()
}

/** The first paragraph of an HTML fragment, as text. */
export function firstParagraphText(html: string): string {
  const match = /<p[^>]*>([\s\S]*?)<\/p>/.exec(html)
  return match ? htmlToText(match[1]!) : htmlToText(html)
}
