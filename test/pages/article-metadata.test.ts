import { describe, expect, it } from 'vitest'
import { jsonForScript } from '../../src/pages/article-metadata.ts'
import { testApp } from '../support/app.ts'
import { compileFixture, markdownArticle, NEWSROOM, NOW } from '../support/fixtures.ts'

const ORIGIN = 'https://news.example.com'

function metaContent(html: string, key: string): string[] {
  return [
    ...html.matchAll(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`, 'g')),
  ].map((match) => match[1]!)
}

function jsonLdOf(html: string): Record<string, unknown> {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
  expect(blocks).toHaveLength(1)
  return JSON.parse(blocks[0]![1]!)
}

describe('article metadata for link previews and search engines', () => {
  it('carries Open Graph, Twitter card and NewsArticle data from the article', async () => {
    const html = await testApp(compileFixture(NEWSROOM), { now: NOW }).text(
      '/articles/harbour-reopens/',
    )
    expect(metaContent(html, 'og:type')).toEqual(['article'])
    expect(metaContent(html, 'og:title')).toEqual(['Harbour reopens'])
    expect(metaContent(html, 'og:url')).toEqual([`${ORIGIN}/articles/harbour-reopens/`])
    expect(metaContent(html, 'og:image')).toEqual([`${ORIGIN}/images/harbour.jpg`])
    expect(metaContent(html, 'og:image:alt')).toEqual(['Cranes at dawn'])
    expect(metaContent(html, 'article:tag')).toEqual(['Shipping', 'Economy'])
    expect(metaContent(html, 'twitter:card')).toEqual(['summary_large_image'])
    expect(jsonLdOf(html)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Harbour reopens',
      description: 'The harbour is open again.',
      url: `${ORIGIN}/articles/harbour-reopens/`,
      mainEntityOfPage: `${ORIGIN}/articles/harbour-reopens/`,
      datePublished: '2024-03-01T08:00:00.000Z',
      dateModified: '2024-03-02T10:30:00.000Z',
      inLanguage: 'en-GB',
      image: [`${ORIGIN}/images/harbour.jpg`],
      author: [{ '@type': 'Person', name: 'Ana Lima' }],
      publisher: { '@type': 'Organization', name: 'Example Times', url: `${ORIGIN}/` },
      articleSection: ['Shipping', 'Economy'],
      isBasedOn: 'https://news.example.org/harbour?id=1&lang=en',
    })
  })

  it('uses a summary card without an image', async () => {
    const html = await testApp(compileFixture(NEWSROOM), { now: NOW }).text(
      '/articles/budget-passes/',
    )
    expect(metaContent(html, 'twitter:card')).toEqual(['summary'])
    expect(metaContent(html, 'og:image')).toEqual([])
    expect(jsonLdOf(html).author).toEqual([
      { '@type': 'Person', name: 'Bo Chen' },
      { '@type': 'Person', name: 'Cy Diaz' },
    ])
  })

  it('keeps a title that closes the script element inside the JSON-LD, and the data intact', async () => {
    const title = '</script><script>alert(1)</script><!-- & \u2028'
    const content = compileFixture({
      'x.md': markdownArticle({ title, date: '2024-01-01', summary: '</SCRIPT >', slug: 'x' }),
    })
    const html = await testApp(content, { now: NOW }).text('/articles/x/')
    expect(jsonLdOf(html)).toMatchObject({
      headline: title.replace(/\s+/g, ' ').trim(),
      description: '</SCRIPT >',
    })
    expect(metaContent(html, 'og:title')).toEqual([
      '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp;',
    ])
    expect(jsonForScript({ a: '</script>\u2028<!--&' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u2028\\u003c!--\\u0026"}',
    )
  })
})
