import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBuildSiteConfig } from '../../../src/build/build-site-config.ts'
import { refreshArticlePage } from '../../../src/build/preview/quick-article-page.ts'
import { ROOT, runScript, SLOW } from '../../support/scripts.ts'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'quick-page-'))
  await mkdir(join(folder, 'seeds'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

const article = (title: string, body: string, more = '') =>
  `---\ntitle: ${title}\ndate: 2024-01-01\nsummary: About ${title}.\ntopics: [Harbour]\n${more}---\n${body}\n`

async function seed(name: string, text: string | Uint8Array): Promise<void> {
  await writeFile(join(folder, 'seeds', name), text)
}

/** The real content build, as wrangler runs it in the preview. */
async function build(): Promise<void> {
  const run = await runScript('build-content.ts', [
    '--seeds',
    join(folder, 'seeds'),
    '--out',
    join(folder, 'out/content.js'),
  ])
  expect(run.code, run.stderr).toBe(0)
}

async function refresh(file: string) {
  return refreshArticlePage({
    seeds: join(folder, 'seeds'),
    file,
    assets: join(folder, 'out/assets'),
    lock: join(folder, 'out/published.lock.json'),
    site: await readBuildSiteConfig(join(ROOT, 'wrangler.toml')),
    now: Date.now(),
  })
}

const page = (slug: string) => readFile(join(folder, `out/assets/articles/${slug}/index.html`))

describe("the preview's fast path for an edited article's page", SLOW, () => {
  it('writes the page at once, to the bytes the next build writes', async () => {
    await seed('a.md', article('Harbour reopens', 'The harbour is open.'))
    await seed('b.md', article('Tide tables', 'High water at noon.'))
    await build()
    await seed('a.md', article('Harbour reopens', 'The harbour is open again, **edited**.'))
    expect(await refresh('a.md')).toEqual({ written: '/articles/harbour-reopens/index.html' })
    const quick = await page('harbour-reopens')
    expect(quick.toString()).toContain('open again, <strong>edited</strong>')
    expect(await refresh('a.md')).toEqual({ unchanged: '/articles/harbour-reopens/index.html' })
    await build()
    expect((await page('harbour-reopens')).equals(quick)).toBe(true)
  })

  it("makes an older article's entry of its pack again, to the bytes the next build writes", async () => {
    await seed('a.md', article('Harbour reopens', 'The harbour is open.'))
    await seed('b.md', article('Tide tables', 'High water at noon.'))
    await build()
    // Only the newest articles' pages are files of their own; an older one is in a pack alone.
    await rm(join(folder, 'out/assets/articles/harbour-reopens'), { recursive: true })
    const packs = join(folder, 'out/assets/_packs/articles')
    const [pack] = await readdir(packs)
    const before = await readFile(join(packs, pack!))
    await seed('a.md', article('Harbour reopens', 'The harbour is open again, **edited**.'))
    expect(await refresh('a.md')).toEqual({ written: `/_packs/articles/${pack}` })
    const quick = await readFile(join(packs, pack!))
    expect(quick.equals(before)).toBe(false)
    expect(await refresh('a.md')).toEqual({ unchanged: `/_packs/articles/${pack}` })
    await build()
    expect((await readFile(join(packs, pack!))).equals(quick)).toBe(true)
  })

  it('shows a local image the site already publishes, with its size', async () => {
    const { default: sharp } = await import('sharp')
    const png = await sharp({
      create: { width: 40, height: 30, channels: 3, background: { r: 0, g: 90, b: 200 } },
    })
      .png()
      .toBuffer()
    await seed('pier.png', png)
    await seed('a.md', article('Pier', 'The pier.\n\n![The pier](pier.png)'))
    await build()
    await seed('a.md', article('Pier', 'The new pier.\n\n![The pier](pier.png)'))
    expect(await refresh('a.md')).toEqual({ written: '/articles/pier/index.html' })
    const quick = await page('pier')
    expect(quick.toString()).toMatch(
      /<img[^>]*width="40"[^>]*height="30"|height="30"[^>]*width="40"/,
    )
    await build()
    expect((await page('pier')).equals(quick)).toBe(true)
    // An image the last build did not publish waits for the next build.
    await seed('dock.png', png)
    await seed('a.md', article('Pier', 'The new pier.\n\n![The dock](dock.png)'))
    expect(await refresh('a.md')).toEqual({
      skipped: 'the image dock.png is not published as it is yet',
    })
    expect((await page('pier')).equals(quick)).toBe(true)
  })

  it('leaves every other change to the build, and the page as it was', async () => {
    await seed('a.md', article('Harbour reopens', 'The harbour is open.'))
    await build()
    const before = await page('harbour-reopens')
    const cases: [string, string | undefined, string][] = [
      [
        'a new title moves the page',
        article('Harbour closes', 'Body.'),
        'its id or address changed',
      ],
      ['a new id', article('Harbour reopens', 'Body.', 'id: other\n'), 'its id or address changed'],
      ['a problem', '---\ntitle: [unclosed\n---\nBody\n', 'the article has problems'],
      ['a draft', article('Harbour reopens', 'Body.', 'draft: true\n'), 'the article is a draft'],
      [
        'a future date',
        article('Harbour reopens', 'Body.').replace('2024-01-01', '2999-01-01'),
        'it is dated in the future',
      ],
    ]
    for (const [what, text, reason] of cases) {
      await seed('a.md', text!)
      expect(await refresh('a.md'), what).toEqual({ skipped: reason })
      expect((await page('harbour-reopens')).equals(before), what).toBe(true)
    }
    await seed('new.md', article('Ferry times', 'Body.'))
    expect(await refresh('new.md')).toEqual({
      skipped: 'the last build did not publish this file',
    })
    await rm(join(folder, 'out/published.lock.json'))
    await seed('a.md', article('Harbour reopens', 'Edited.'))
    expect(await refresh('a.md')).toEqual({
      skipped: 'the last build failed or has not finished',
    })
    expect((await page('harbour-reopens')).equals(before)).toBe(true)
  })
})
