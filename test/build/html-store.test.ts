import { describe, expect, it } from 'vitest'
import {
  articleDigest,
  HtmlStore,
  htmlDigest,
  htmlLength,
  referToHtml,
} from '../../src/build/html-store.ts'
import type { CompiledArticle } from '../../src/contract/compiled.ts'
import { compileFixture, NEWSROOM } from '../support/fixtures.ts'

const articles = () => compileFixture(NEWSROOM).articles

describe('compiled HTML kept in a file', () => {
  it('reads back exactly what it was given, in JSON and structured clones too', () => {
    const store = new HtmlStore()
    const plain = articles()
    const kept = articles()
    // Text the file holds as UTF-8 of one to four bytes per character.
    kept[0]!.contentHtml = plain[0]!.contentHtml = '<p>“Café” — 東京 🚢 &amp; <b>x</b></p>'
    for (const article of kept) store.keep(article)
    expect(kept.map((article) => article.contentHtml)).toEqual(
      plain.map((article) => article.contentHtml),
    )
    // Same keys in the same order: hashes over JSON.stringify do not change.
    expect(JSON.stringify(kept)).toBe(JSON.stringify(plain))
    expect(structuredClone(kept)).toEqual(plain)
    expect({ ...kept[1]! }).toEqual(plain[1])
  })

  it('leaves an article another store, or itself, already keeps as it is', () => {
    const [article] = articles() as [CompiledArticle]
    const html = article.contentHtml
    new HtmlStore().keep(article)
    const reader = Object.getOwnPropertyDescriptor(article, 'contentHtml')?.get
    new HtmlStore().keep(article)
    expect(Object.getOwnPropertyDescriptor(article, 'contentHtml')?.get).toBe(reader)
    expect(article.contentHtml).toBe(html)
  })

  it('lets an assignment replace the HTML, and leaves an article without HTML as it is', () => {
    const store = new HtmlStore()
    const [article, other] = articles() as [CompiledArticle, CompiledArticle]
    const { contentHtml: _, ...withoutHtml } = other
    store.keep(article)
    store.keep(withoutHtml)
    const keys = Object.keys(article)
    article.contentHtml = 'released'
    expect(article.contentHtml).toBe('released')
    expect(Object.keys(article)).toEqual(keys)
    expect(JSON.parse(JSON.stringify(article)).contentHtml).toBe('released')
    expect('contentHtml' in withoutHtml).toBe(false)
  })

  it('keeps many articles apart in one file', () => {
    const store = new HtmlStore()
    const many = Array.from({ length: 500 }, (_, n) => ({
      ...articles()[0]!,
      contentHtml: `<p>${'é'.repeat(n)}${n}</p>`,
    }))
    for (const article of many) store.keep(article)
    expect(many.every((article, n) => article.contentHtml === `<p>${'é'.repeat(n)}${n}</p>`)).toBe(
      true,
    )
  })

  it('gives the digest of the HTML without reading it back, and of a new value once assigned', () => {
    const store = new HtmlStore()
    const plain = articles()
    const kept = articles()
    for (const article of kept) store.keep(article)
    expect(kept.map(htmlDigest)).toEqual(plain.map(htmlDigest))
    expect(new Set(kept.map(htmlDigest)).size).toBe(kept.length)
    kept[0]!.contentHtml = '<p>Corrected.</p>'
    plain[0]!.contentHtml = '<p>Corrected.</p>'
    expect(htmlDigest(kept[0]!)).toBe(htmlDigest(plain[0]!))
  })

  it('gives the length and a digest of the whole article without reading the HTML back', () => {
    const store = new HtmlStore()
    const plain = articles()
    const kept = articles()
    kept[0]!.contentHtml = plain[0]!.contentHtml = '<p>“Café” — 東京 🚢</p>'
    const { contentHtml: _, ...withoutHtml } = plain[1]!
    for (const article of kept) store.keep(article)
    expect(kept.map(htmlLength)).toEqual(plain.map((article) => article.contentHtml?.length))
    expect(htmlLength(withoutHtml)).toBeUndefined()
    // No HTML is not empty HTML.
    expect(articleDigest(withoutHtml)).not.toBe(articleDigest({ ...withoutHtml, contentHtml: '' }))
    expect(kept.map(articleDigest)).toEqual(plain.map(articleDigest))
    expect(new Set(kept.map(articleDigest)).size).toBe(kept.length)
    // Any field counts, the HTML too; an assignment is seen.
    expect(articleDigest({ ...plain[0]!, title: 'Other' })).not.toBe(articleDigest(plain[0]!))
    kept[0]!.contentHtml = '<p>Corrected.</p>'
    expect(htmlLength(kept[0]!)).toBe('<p>Corrected.</p>'.length)
    expect(articleDigest(kept[0]!)).toBe(
      articleDigest({ ...plain[0]!, contentHtml: '<p>Corrected.</p>' }),
    )
    expect(articleDigest(kept[0]!)).not.toBe(articleDigest(plain[0]!))
  })

  it('reads HTML kept elsewhere only when asked, and lets an assignment replace it', () => {
    const plain = articles()
    let reads = 0
    const referred = articles().map((article, i) => {
      const html = plain[i]!.contentHtml
      if (html === undefined) return article
      return referToHtml(article, {
        digest: htmlDigest(plain[i]!),
        length: html.length,
        read: () => {
          reads++
          return html
        },
      })
    })
    expect(referred.map(articleDigest)).toEqual(plain.map(articleDigest))
    expect(referred.map(htmlLength)).toEqual(plain.map(htmlLength))
    expect(reads).toBe(0)
    expect(JSON.stringify(referred)).toBe(JSON.stringify(plain))
    expect(reads).toBeGreaterThan(0)
    referred[0]!.contentHtml = '<p>Corrected.</p>'
    expect(articleDigest(referred[0]!)).toBe(
      articleDigest({ ...plain[0]!, contentHtml: '<p>Corrected.</p>' }),
    )
  })
})
