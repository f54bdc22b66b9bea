import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompiledArticle } from '../contract/compiled.ts'
import { hashParts } from './compile-cache.ts'
import { readFully, writeFully } from './file-ranges.ts'
import { digestOfHtml } from './html-digest.ts'

/**
 * Compiled articles' HTML in a scratch file instead of the heap. The build
 * holds every compiled article from the compile to the end of the prerender,
 * and their HTML is most of it (about 1 GB at 100,000 articles: the peak of
 * a build, measured at the compile's end), while each article's HTML is read
 * a few times only: for its page, its feed items and its hash. So each
 * article's `contentHtml` becomes an accessor that reads its bytes back from
 * the file; assigning to it (releaseArticleHtml does) replaces the HTML with
 * the value assigned. Reading the article, JSON.stringify and structured clone included,
 * sees exactly what it saw before, in the same key order.
 *
 * An article taken from the build cache needs no copy: its HTML stays in its
 * cache entry, which the accessor reads, and checks, only when something asks
 * for it (see `referToHtml`). A warm build asks for few: the pages and items of the
 * articles that did not change are kept by their digest (kept-assets.ts).
 *
 * The file is removed as soon as it is open (the operating system frees it
 * when the last reader is gone), and the descriptor is closed once no article
 * refers to the store any more.
 */

const closeWhenUnused = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd)
  } catch {
    // Already closed: nothing to free.
  }
})

/**
 * What each kept article's HTML was when written: its digest, and its length
 * in UTF-16 units; and the article's digest (see articleDigest), given with
 * it or once asked for.
 */
interface Kept {
  digest: string
  length: number
  whole?: string
  read: () => string
}
/** What an article's HTML was assigned once the store let go of it. */
interface Assigned {
  assigned: string | undefined
}
/** Each article's HTML: as the store wrote it, or, once let go of, as assigned. */
const held = new WeakMap<CompiledArticle, Kept | Assigned>()

/**
 * Every kept article's `contentHtml` is this one accessor: the HTML read back
 * while the store keeps it, then whatever was assigned. One getter and one
 * setter for all, because V8 keeps an object whose accessor is a shared pair,
 * added in its place among the keys, in its fast layout; turning each
 * article's data property into an accessor of its own made every article a
 * dictionary, and every later read of its fields (ids, dates, topics) several
 * times slower.
 */
const KEPT_HTML: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: CompiledArticle): string | undefined {
    // One lookup a read: the prerender reads an article's stand-in again for each document.
    const html = held.get(this)
    if (html === undefined || 'assigned' in html) return html?.assigned
    return html.read()
  },
  set(this: CompiledArticle, value: string | undefined) {
    held.set(this, { assigned: value })
  },
}

/**
 * A digest of an article's HTML, without reading it back when the store
 * keeps it (see kept-assets.ts, which keys article pages by it).
 */
export function htmlDigest(article: CompiledArticle): string {
  return keptAs(article)?.digest ?? digestOfHtml(article.contentHtml ?? '')
}

/**
 * The length of an article's HTML (as `contentHtml.length` gives it), or
 * undefined when it has none, without reading it back when the store keeps
 * it: what the byte budget's first check needs (see item-budget.ts).
 */
export function htmlLength(article: CompiledArticle): number | undefined {
  return keptAs(article)?.length ?? article.contentHtml?.length
}

/**
 * A digest of the whole article without reading its HTML back: what pages
 * and items made from the article alone are kept under between builds (see
 * kept-assets.ts and fragment-file.ts). For an article the store was given
 * with the hash its compile took of it (`articleHash`, see compile-content.ts),
 * that hash: at 100,000 articles, digesting them again cost a warm build 0.6 s.
 * Otherwise its fields' JSON and its HTML's digest (htmlDigest), hashed.
 */
export function articleDigest(article: CompiledArticle): string {
  // Asked for twice a build (its page, its items): a kept article is digested once. Only its
  // HTML ever changes (assigned, which ends the keeping), so its digest holds while kept.
  const kept = keptAs(article)
  if (kept?.whole !== undefined) return kept.whole
  const fields: Record<string, unknown> = {}
  for (const name of Object.keys(article)) {
    if (name !== 'contentHtml') fields[name] = article[name as keyof CompiledArticle]
  }
  const html = htmlLength(article) === undefined ? 'no HTML' : htmlDigest(article)
  const whole = hashParts(JSON.stringify(fields), html)
  if (kept) kept.whole = whole
  return whole
}

/**
 * What the store wrote for an article whose HTML it still holds: assigning
 * to `contentHtml` lets go of it (see KEPT_HTML). Asked several times for each
 * article; looking at the property's descriptor instead cost 0.2 s at 100,000.
 */
function keptAs(article: CompiledArticle): Kept | undefined {
  const html = held.get(article)
  return html === undefined || 'assigned' in html ? undefined : html
}

/** HTML kept outside the heap: its digest and length, and how to read it back. */
export interface StoredHtml {
  /** digestOfHtml of its UTF-8 bytes. */
  digest: string
  /** Its length in UTF-16 units, as `contentHtml.length` gives it. */
  length: number
  read: () => string
  /** The article's hash, HTML included, as its compile took it (see articleDigest). */
  articleHash?: string
}

/**
 * The article, reading its HTML from where it already is, a build cache
 * entry (see compile-cache.ts), instead of holding or copying it: a new
 * object with the same keys in the same order, so that it keeps V8's fast
 * layout (see KEPT_HTML). Its `contentHtml` key must be where the HTML
 * belongs among its keys.
 */
export function referToHtml(article: CompiledArticle, stored: StoredHtml): CompiledArticle {
  const referring: Record<string, unknown> = {}
  for (const name of Object.keys(article)) {
    if (name === 'contentHtml') Object.defineProperty(referring, name, KEPT_HTML)
    else referring[name] = article[name as keyof CompiledArticle]
  }
  const kept: Kept = { digest: stored.digest, length: stored.length, read: stored.read }
  if (stored.articleHash !== undefined) kept.whole = stored.articleHash
  held.set(referring as unknown as CompiledArticle, kept)
  return referring as unknown as CompiledArticle
}

export class HtmlStore {
  readonly #fd: number
  #end = 0

  constructor() {
    const folder = mkdtempSync(join(tmpdir(), 'edge-feed-html-'))
    this.#fd = openSync(join(folder, 'html.bin'), 'w+')
    rmSync(folder, { recursive: true, force: true })
    closeWhenUnused.register(this, this.#fd)
  }

  /**
   * Moves an article's HTML to the file; the article reads it back on each
   * use. An article whose HTML a store already holds is left as it is.
   * `articleHash`: the hash its compile took of the article as it is (see
   * articleDigest).
   */
  keep(article: CompiledArticle, articleHash?: string): void {
    if (keptAs(article)) return
    const html = article.contentHtml
    if (html === undefined) return
    const at = this.#end
    const bytes = Buffer.from(html, 'utf8')
    writeFully(this.#fd, bytes, at)
    const length = bytes.length
    this.#end += length
    const kept: Kept = {
      digest: digestOfHtml(bytes),
      length: html.length,
      read: () => this.#read(at, length),
    }
    if (articleHash !== undefined) kept.whole = articleHash
    held.set(article, kept)
    // The property stays where it was among the article's keys, so JSON.stringify is unchanged.
    Object.defineProperty(article, 'contentHtml', KEPT_HTML)
  }

  #read(at: number, length: number): string {
    const bytes = Buffer.allocUnsafe(length)
    if (readFully(this.#fd, bytes, 0, length, at) < length)
      throw new Error(`[content] the compiled HTML file ends before byte ${at + length}`)
    return bytes.toString('utf8')
  }
}
