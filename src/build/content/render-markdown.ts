import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import sanitizeHtml from 'sanitize-html'

/**
 * Markdown to safe HTML with absolute links. Runs at build time only: the
 * worker serves the result and never parses markdown.
 *
 * The allowlist is applied while rendering: the renderer below writes only
 * the tags and attributes of the allowlist, with escaped text and resolved
 * links, so what markdown makes needs no second parse. Only the raw HTML an
 * author wrote (an HTML block, or a paragraph holding inline tags) goes
 * through sanitize-html, with the same allowlist. On the articles of
 * `npm run corpus` this renders the same HTML as marked followed by
 * sanitize-html over the whole output did, 2.4 times faster; an article whose
 * every paragraph holds raw HTML (the hostile corpus) costs about what it did.
 */

/** Where the images of an article body resolve, and who hears of the local ones. */
export interface ImageOptions {
  /** Base URL for relative image references: the article file's folder (see article-images.ts). */
  imageBase: string
  /** Told of every relative or root-relative image reference, as written and as resolved. */
  onLocalImage: (written: string, resolved: string) => void
}

/** Render state of one article. */
interface RenderEnv {
  articleUrl: string
  images?: ImageOptions
  /** Per open link: whether it was dropped (its words kept), so its close is dropped too. */
  links: boolean[]
  sanitizeOptions?: sanitizeHtml.IOptions
}

// CommonMark with GitHub's tables, strikethrough and autolinks (GFM).
// xhtmlOut: `<img … />` and `<br />`, as sanitize-html writes them, so every article's markup is alike.
const markdown = new MarkdownIt('default', { html: true, xhtmlOut: true, linkify: true })
// GitHub links bare `https://` and `www.` addresses and e-mail addresses, not every word with a dot
// in it (fuzzyLink), so `www.` is added as a prefix of its own.
markdown.linkify.set({ fuzzyLink: false })
let wwwAddress: RegExp | undefined
markdown.linkify.add('www.', {
  validate(text, position, self) {
    wwwAddress ??= new RegExp(`^${self.re.src_host_port_strict}${self.re.src_path}`, 'i')
    return wwwAddress.exec(text.slice(position))?.[0].length ?? 0
  },
  normalize(match) {
    match.url = `http://${match.url}`
  },
})
// linkify-it's own pretest runs a long Unicode regex over every paragraph (half the render time
// of a typical article); a paragraph without `://`, `@` or `www.` cannot hold a link it would find.
const pretest = markdown.linkify.pretest.bind(markdown.linkify)
markdown.linkify.pretest = (text) => /:\/\/|@|www\./i.test(text) && pretest(text)
// Links are checked by resolveReference, against the article's URL; markdown-it's own check
// would print a refused link as literal text (`[one](javascript:…)`) instead of dropping it.
markdown.validateLink = () => true

const { escapeHtml } = markdown.utils
const rules = markdown.renderer.rules

function attribute(name: string, value: string | null | undefined): string {
  return value ? ` ${name}="${escapeHtml(value)}"` : ''
}

rules.link_open = (tokens, index, _options, env: RenderEnv) => {
  const token = tokens[index]!
  const href = token.attrGet('href') ?? ''
  // `[text](#)` is how saved web pages keep links whose target was lost: keep the words, drop the dead link.
  const dead = href.trim() === '' || href.trim() === '#'
  env.links.push(dead)
  if (dead) return ''
  // The title first and the resolved address last, as sanitize-html writes a link it resolved.
  return `<a${attribute('title', token.attrGet('title'))}${attribute('href', resolveReference(href, env.articleUrl))}>`
}
rules.link_close = (_tokens, _index, _options, env: RenderEnv) => (env.links.pop() ? '' : '</a>')

rules.image = (tokens, index, options, env: RenderEnv, self) => {
  const token = tokens[index]!
  const src = resolveImage(token.attrGet('src') ?? '', env)
  // An image that cannot be made absolute is left out, as sanitize-html leaves out an <img> without src.
  if (src === undefined) return ''
  const alt = self.renderInlineAsText(token.children ?? [], options, env)
  return `<img alt="${escapeHtml(alt)}"${attribute('title', token.attrGet('title'))} src="${escapeHtml(src)}" />`
}

/** Code without markdown-it's `class="language-…"`: classes are not on the allowlist. */
function code(tokens: Token[], index: number): string {
  return `<pre><code>${escapeHtml(tokens[index]!.content)}</code></pre>\n`
}
rules.fence = code
rules.code_block = code

// Column alignment comes as a style attribute, which is not on the allowlist.
rules.th_open = () => '<th>'
rules.td_open = () => '<td>'
// `~~struck~~` as <del>, which says the text was removed (and which earlier builds wrote).
rules.s_open = () => '<del>'
rules.s_close = () => '</del>'

rules.html_block = (tokens, index, _options, env: RenderEnv) => {
  const html = sanitize(tokens[index]!.content, env)
  // A block of nothing but refused markup (a <script>, an <iframe>) leaves no blank line behind.
  return html.trim() === '' ? '' : html
}

// A paragraph (or heading, or cell) with inline HTML in it is sanitized whole, so a tag the author
// opened is closed in it, and the text of a <script> goes with the script.
const renderInline = markdown.renderer.renderInline.bind(markdown.renderer)
markdown.renderer.renderInline = (tokens, options, env: RenderEnv) => {
  const html = renderInline(tokens, options, env)
  return tokens.some((token) => token.type === 'html_inline') ? sanitize(html, env) : html
}

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

/** A reference with no scheme and no host: a file of this site. */
function isLocal(reference: string): boolean {
  const trimmed = reference.trim()
  return !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('//')
}

/** An image reference resolved: a local one against the article file's folder, and reported. */
function resolveImage(reference: string, env: RenderEnv): string | undefined {
  if (!env.images || !isLocal(reference)) return resolveReference(reference, env.articleUrl)
  const resolved = resolveReference(reference, env.images.imageBase)
  if (resolved !== undefined) env.images.onLocalImage(reference, resolved)
  return resolved
}

/** The allowlist, for the raw HTML of one article: links and images resolved against its URL. */
function sanitizeOptions(env: RenderEnv): sanitizeHtml.IOptions {
  const absolute =
    (attribute: string) =>
    (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
      const value = attribs[attribute]
      const resolved =
        value === undefined
          ? undefined
          : tagName === 'img'
            ? resolveImage(value, env)
            : resolveReference(value, env.articleUrl)
      const { [attribute]: _dropped, ...rest } = attribs
      return {
        tagName,
        attribs: resolved === undefined ? rest : { ...rest, [attribute]: resolved },
      }
    }
  return {
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
  }
}

/** Raw HTML of an article through the allowlist; the options are made once per article. */
function sanitize(html: string, env: RenderEnv): string {
  env.sanitizeOptions ??= sanitizeOptions(env)
  return sanitizeHtml(html, env.sanitizeOptions)
}

/**
 * Renders an article body. `articleUrl` is the absolute URL of the article's
 * page, against which relative links are resolved, and images too unless
 * `images` says where they are.
 */
export function renderMarkdown(text: string, articleUrl: string, images?: ImageOptions): string {
  const env: RenderEnv = { articleUrl, links: [], ...(images ? { images } : {}) }
  return markdown.render(text, env).trim()
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
