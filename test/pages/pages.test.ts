import { describe, expect, it } from 'vitest'
import { testApp } from '../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../support/fixtures.ts'

const content = compileFixture({
  ...NEWSROOM,
  'xss.md': markdownArticle(
    {
      title: '<img src=x onerror=alert(1)>',
      date: '2024-01-05',
      topics: ['<script>alert(1)</script>'],
    },
    'Body <img src=/x onerror=alert(2)> and <a href="javascript:alert(3)">a link</a>.',
  ),
})
const app = testApp(content, { now: NOW })
const ORIGIN = 'https://news.example.com'

describe('pages', () => {
  it('home page lists the newest articles, every topic and the site feeds', async () => {
    const html = await app.text('/')
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/)
    expect(html).toContain('<main id="main">')
    expect(html).toContain(`<a href="${ORIGIN}/articles/harbour-reopens/">Harbour reopens</a>`)
    expect(html.indexOf('Harbour reopens')).toBeLessThan(html.indexOf('Budget passes'))
    expect(html).toContain(
      `<a href="${ORIGIN}/topics/shipping/" dir="auto">Shipping</a> <span class="count">(2)</span>`,
    )
    expect(html).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Example Times: All articles (Atom)" href="${ORIGIN}/atom.xml">`,
    )
  })

  it('every page links the site icons: favicon.ico, a 192 px PNG and the touch icon', async () => {
    for (const path of ['/', '/topics/', '/topics/shipping/', '/articles/harbour-reopens/']) {
      const html = await app.text(path)
      expect(html, path).toContain(
        `<link rel="icon" href="${ORIGIN}/favicon.ico" sizes="16x16 32x32 48x48">`,
      )
      expect(html, path).toContain(
        `<link rel="icon" href="${ORIGIN}/icons/icon-192.png" type="image/png" sizes="192x192">`,
      )
      expect(html, path).toContain(
        `<link rel="apple-touch-icon" href="${ORIGIN}/apple-touch-icon.png">`,
      )
    }
  })

  it('topic page lists only its articles and advertises its own feeds first', async () => {
    const html = await app.text('/topics/shipping/')
    expect(html).toContain('<h1>Shipping</h1>')
    expect(html).toContain('An older story')
    expect(html).not.toContain('Budget passes')
    expect(html).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Example Times: Shipping (RSS)" href="${ORIGIN}/topics/shipping/rss.xml">`,
    )
  })

  it('article page shows title, dates, author, topics, image with caption and credit, body and source', async () => {
    const html = await app.text('/articles/harbour-reopens/')
    expect(html).toContain('<h1>Harbour reopens</h1>')
    expect(html).toContain('<time datetime="2024-03-01T08:00:00.000Z">March 1, 2024</time>')
    expect(html).toContain('updated <time datetime="2024-03-02T10:30:00.000Z">March 2, 2024</time>')
    expect(html).toContain('by Ana Lima')
    expect(html).toContain(`<li><a href="${ORIGIN}/topics/economy/">Economy</a></li>`)
    expect(html).toContain(
      `<figure><img src="${ORIGIN}/images/harbour.jpg" alt="Cranes at dawn"><figcaption>Cranes at dawn <strong>Port Authority</strong></figcaption></figure>`,
    )
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/articles/harbour-reopens/">`)
    expect(html).toContain(
      'Original article: <a href="https://news.example.org/harbour?id=1&amp;lang=en">Example News</a>',
    )
  })

  it('escapes hostile titles and topics, and strips scripts and handlers from bodies', async () => {
    const slug = content.articles.find((a) => a.title.startsWith('<img'))!.slug
    const html = await app.text(`/articles/${slug}/`)
    expect(html).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</a>')
    // The only script element is the JSON-LD data block, which browsers never run.
    expect(
      html.match(
        /<script(?! type="application\/ld\+json">)|<img[^>]*\sonerror=|href="javascript:/,
      )?.[0],
    ).toBeUndefined()
    const jsonLd = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)?.[1]
    expect(JSON.parse(jsonLd!).headline).toBe('<img src=x onerror=alert(1)>')
    expect(await app.text('/')).not.toMatch(/<script|<img src=x/)
  })
})
