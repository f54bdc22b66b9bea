import { describe, expect, it } from 'vitest'
import { readMediaFile } from '../../../src/build/content/article-images.ts'
import {
  compileContent,
  compileFile,
  finishContent,
  mediaFactsHold,
} from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { markdownArticle } from '../../support/fixtures.ts'
import { JPEG_40x30, PNG_24x16 } from '../../support/images.ts'

/** Images beside the articles in the seeds folder: checked, measured and published at build time. */

function compile(files: Record<string, string | Uint8Array>) {
  const encoder = new TextEncoder()
  return compileContent(
    Object.entries(files).map(([path, content]) => ({
      path,
      bytes: typeof content === 'string' ? encoder.encode(content) : content,
    })),
  )
}

const ARTICLE = markdownArticle(
  {
    title: 'Harbour reopens',
    date: '2024-03-01',
    summary: 'Ships are back.',
    image: 'harbour.jpg',
    image_caption: 'Cranes at dawn',
    image_credit: 'Port Authority',
  },
  'The harbour reopened.\n\n![Arrivals by week](charts/arrivals%201.png "Arrivals")',
)

describe('article images in the seeds folder', () => {
  it('publishes a local JPEG and PNG at their path, with type, length and size known', () => {
    const result = compile({
      '2024/harbour.md': ARTICLE,
      '2024/harbour.jpg': JPEG_40x30,
      '2024/charts/arrivals 1.png': PNG_24x16,
      '2024/unused.png': PNG_24x16,
    })
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    const [article] = result.content.articles
    expect(article!.image).toEqual({
      url: 'https://origin.invalid/2024/harbour.jpg',
      type: 'image/jpeg',
      length: JPEG_40x30.byteLength,
      width: 40,
      height: 30,
    })
    // The lead picture opens the content, sized, with its caption as alt text and its credit.
    expect(article!.contentHtml).toMatch(
      /^<figure><img src="https:\/\/origin\.invalid\/2024\/harbour\.jpg" width="40" height="30" alt="Cranes at dawn"><figcaption>Cranes at dawn <strong>Port Authority<\/strong><\/figcaption><\/figure>/,
    )
    expect(article!.contentHtml).toContain(
      'src="https://origin.invalid/2024/charts/arrivals%201.png" width="24" height="16"',
    )
    // Only the files the articles show are published, with what was read of them.
    expect([...result.media.keys()].sort()).toEqual([
      '2024/charts/arrivals 1.png',
      '2024/harbour.jpg',
    ])
    expect(result.media.get('2024/harbour.jpg')).toEqual({
      type: 'image/jpeg',
      length: JPEG_40x30.byteLength,
      width: 40,
      height: 30,
    })
  })

  it('measures the images as the article compiles, and records what it measured, so a kept result holds only while they do', () => {
    const encoder = new TextEncoder()
    const harbour = { path: '2024/harbour.md', bytes: encoder.encode(ARTICLE) }
    const plain = {
      path: '2024/plain.md',
      bytes: encoder.encode(
        markdownArticle({ title: 'Plain', date: '2024-03-02', summary: 'No images.' }),
      ),
    }
    // A lead image at a path from the site root that the seeds folder lacks: left as it is.
    const elsewhere = {
      path: '2024/elsewhere.md',
      bytes: encoder.encode(
        markdownArticle(
          { title: 'Elsewhere', date: '2024-03-03', image: '/images/elsewhere.jpg' },
          '![b](/images/elsewhere.jpg)',
        ),
      ),
    }
    const jpeg = readMediaFile(JPEG_40x30)
    const png = readMediaFile(PNG_24x16)
    const media = new Map([
      ['2024/harbour.jpg', jpeg],
      ['2024/charts/arrivals 1.png', png],
    ])
    const compiled = compileFile(harbour, undefined, media)
    expect(compiled.article!.contentHtml).toContain('width="40" height="30"')
    expect(compiled.imageFacts).toEqual([jpeg, png])
    // The result is plain data, as the build cache keeps it; its hash is of the measured article.
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled)
    expect(compiled.articleHash).not.toBe(compileFile(harbour, undefined).articleHash)
    expect(mediaFactsHold(compiled, media)).toBe(true)
    expect(mediaFactsHold(compiled, new Map(media))).toBe(true)
    // A picture replaced by another, or gone: the result no longer holds.
    expect(mediaFactsHold(compiled, new Map([...media, ['2024/harbour.jpg', png]]))).toBe(false)
    expect(mediaFactsHold(compiled, new Map([['2024/harbour.jpg', jpeg]]))).toBe(false)
    // Not an image any more: a reason where facts were.
    const broken = new Map([...media, ['2024/harbour.jpg', { reason: 'is not an image file' }]])
    expect(mediaFactsHold(compiled, broken)).toBe(false)
    // Without images it holds whatever the folder holds; an image the folder lacks was null.
    expect(mediaFactsHold(compileFile(plain, undefined, media), new Map())).toBe(true)
    const away = compileFile(elsewhere, undefined, media)
    expect(away.imageFacts).toEqual([null, null])
    expect(mediaFactsHold(away, media)).toBe(true)
    expect(mediaFactsHold(away, new Map([['images/elsewhere.jpg', jpeg]]))).toBe(false)
    // Published: the files the published articles show, with what was measured of them.
    const finished = finishContent([compiled, away], { problems: [] })
    if (!finished.ok) throw new Error('the fixture does not compile')
    expect(finished.media).toEqual(
      new Map([
        ['2024/harbour.jpg', jpeg],
        ['2024/charts/arrivals 1.png', png],
      ]),
    )
  })

  it('refuses a picture larger than a static asset may be, naming the article, the line and the fix', () => {
    const huge = { type: 'image/jpeg', length: 26 * 1024 * 1024, width: 8000, height: 6000 }
    const compiled = compileFile(
      { path: '2024/harbour.md', bytes: new TextEncoder().encode(ARTICLE) },
      undefined,
      new Map([
        ['2024/harbour.jpg', huge],
        ['2024/charts/arrivals 1.png', readMediaFile(PNG_24x16)],
      ]),
    )
    expect(compiled.problems.map(formatProblem)).toEqual([
      '[content] 2024/harbour.md:5: image: "harbour.jpg" is 26.0 MiB, more than the 25.0 MiB a Workers static asset may be. Save it smaller (a JPEG of a few hundred KB shows as well in every reader), or link it from another server by its https URL',
    ])
  })

  it('refuses a missing or unsupported file, naming the article, the line and the fix', () => {
    const result = compile({
      'a.md':
        '---\ntitle: A\ndate: 2024-01-01\nimage: missing.jpg\n---\nBody.\n\n![x](notes.svg)\n',
      'notes.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    })
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      '[content] a.md:4: image: "missing.jpg" is not in the seeds folder (looked for missing.jpg). Put the image file beside the article, or correct the path',
      '[content] a.md:8: body: "notes.svg" is an image of type SVG, which feed readers do not all show. Save it as JPEG, PNG, GIF or WebP',
    ])
  })

  it('keeps remote images and paths from the site root that the seeds folder lacks as they are', () => {
    const result = compile({
      'a.md': markdownArticle(
        { title: 'A', date: '2024-01-01', image: 'https://cdn.example/a.jpg' },
        '![b](/images/elsewhere.png)',
      ),
    })
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    expect(result.content.articles[0]!.image).toEqual({
      url: 'https://cdn.example/a.jpg',
      type: 'image/jpeg',
    })
    expect(result.content.articles[0]!.contentHtml).toContain(
      '<img alt="b" src="https://origin.invalid/images/elsewhere.png" />',
    )
    expect(result.media.size).toBe(0)
  })

  it('publishes a path from the site root when the seeds folder holds the file', () => {
    const result = compile({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01', image: '/images/harbour.jpg' }),
      'images/harbour.jpg': JPEG_40x30,
    })
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    expect(result.content.articles[0]!.image).toMatchObject({
      width: 40,
      length: JPEG_40x30.length,
    })
    expect([...result.media.keys()]).toEqual(['images/harbour.jpg'])
  })
})
