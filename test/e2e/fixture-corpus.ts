import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { markdownArticle } from '../support/fixtures.ts'

/**
 * The corpus the browser tests serve: the test site (test/fixtures/site, a
 * copy of the shipped seeds, never the user's seeds/) plus articles with fixed
 * dates that exercise what a reader sees — several topics, an image with a
 * caption and credit, a long unbroken title and URL for narrow screens,
 * right-to-left text, and hostile titles, topics, captions and bodies.
 */

/** Title of the hostile article; the page must show it as text and run nothing. */
export const HOSTILE_TITLE = '<img src=x onerror=alert(1)>'

export const FIXTURE_ARTICLES: Record<string, string> = {
  'harbour.md': markdownArticle(
    {
      title: 'Harbour reopens after the storm',
      date: '2024-11-03T08:00:00Z',
      updated: '2024-11-04T10:30:00Z',
      topics: ['Shipping', 'Economy'],
      author: 'Ana Lima',
      summary: 'The harbour is open again, and the cranes are back at work.',
      image: '/images/harbour.svg',
      image_caption: 'Cranes at dawn & dusk',
      image_credit: 'Port Authority',
      source_url: 'https://news.example.org/harbour?id=1&lang=en',
      source_name: 'Example News',
    },
    'Ships are [back](/articles/budget-passes-at-last/) and the port is busy.\n\n## What changed\n\nThe breakwater was repaired.',
  ),
  'budget.md': markdownArticle(
    {
      title: 'Budget passes at last',
      date: '2024-11-01',
      topics: ['Economy'],
      authors: ['Bo Chen', 'Cy Diaz'],
    },
    'The budget passed with a narrow majority.',
  ),
  'long.md': markdownArticle(
    {
      title: 'Supercalifragilisticexpialidociousnessandthensomemorewordsthatnevertakeabreak',
      date: '2024-10-30',
      topics: ['Shipping'],
    },
    'See https://example.org/a/very/long/path/that/never/breaks/anywhere/and/keeps/going/on/and/on/for/ever for details.',
  ),
  'rtl.md': markdownArticle(
    { title: 'عنوان باللغة العربية', date: '2024-10-29', topics: ['العالم'], lang: 'ar' },
    'نص المقال.',
  ),
  'hostile.md': markdownArticle(
    {
      title: HOSTILE_TITLE,
      date: '2024-10-28',
      topics: ['<script>alert(2)</script>', 'Economy'],
      image: '/images/hostile.svg',
      image_caption: '"><svg onload=alert(3)>',
      image_credit: '<b onmouseover=alert(4)>credit</b>',
      summary: '</script><script>alert(5)</script>',
    },
    'Body <img src=/x onerror=alert(6)> and <a href="javascript:alert(7)">a link</a>.\n\n<script>alert(8)</script>',
  ),
}

/** Writes the seeds and the fixture articles into a fresh folder and returns its path. */
export async function writeFixtureCorpus(seeds: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'efp-e2e-corpus-'))
  await cp(seeds, folder, { recursive: true })
  for (const [name, text] of Object.entries(FIXTURE_ARTICLES)) {
    await writeFile(join(folder, `e2e-${name}`), text)
  }
  return folder
}
