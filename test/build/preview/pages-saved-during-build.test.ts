import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBuildSiteConfig } from '../../../src/build/build-site-config.ts'
import { refreshPagesSavedDuringBuild } from '../../../src/build/preview/pages-saved-during-build.ts'
import { ROOT, runScript, SLOW } from '../../support/scripts.ts'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'saved-during-build-'))
  await mkdir(join(folder, 'seeds'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

const article = (title: string, body: string) =>
  `---\ntitle: ${title}\ndate: 2024-01-01\nsummary: About ${title}.\ntopics: [Harbour]\n---\n${body}\n`

const seeds = () => join(folder, 'seeds')

async function build(): Promise<void> {
  const run = await runScript('build-content.ts', [
    '--seeds',
    seeds(),
    '--out',
    join(folder, 'out/content.js'),
  ])
  expect(run.code, run.stderr).toBe(0)
}

/** The last build's assets, staged as a build stages its own before replacing the folder. */
async function stage(): Promise<string> {
  const staging = join(folder, 'out/assets.staged')
  await cp(join(folder, 'out/assets'), staging, { recursive: true })
  return staging
}

const listed = (...names: string[]) =>
  names.map((name) => ({ path: name, source: join(seeds(), name) }))

/** What a preview build that began at `since` does before putting `staging` in place. */
async function refreshSaved(
  names: string[],
  since: number,
  staging: string,
  keptInPlace: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  return refreshPagesSavedDuringBuild({
    seeds: seeds(),
    files: listed(...names),
    since,
    staging,
    assets: join(folder, 'out/assets'),
    keptInPlace,
    lock: join(folder, 'out/published.lock.json'),
    lockText: await readFile(join(folder, 'out/published.lock.json'), 'utf8'),
    site: await readBuildSiteConfig(join(ROOT, 'wrangler.toml')),
  })
}

describe('pages of articles saved while a preview build runs', SLOW, () => {
  it('shows the saves in the staged folder, and only theirs, as the next build writes them', async () => {
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'The harbour is open.'))
    await writeFile(join(seeds(), 'b.md'), article('Tide tables', 'High water at noon.'))
    await build()
    const staging = await stage()
    const since = Date.now()
    // b.md last changed well before the build began; a.md is saved while it runs.
    const long = new Date(since - 60_000)
    await utimes(join(seeds(), 'b.md'), long, long)
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'Open again, **edited**.'))
    const written = await refreshSaved(['a.md', 'b.md'], since, staging)
    expect(written).toEqual(['/articles/harbour-reopens/index.html'])
    const staged = await readFile(join(staging, 'articles/harbour-reopens/index.html'))
    expect(staged.toString()).toContain('Open again, <strong>edited</strong>')
    await build()
    const built = await readFile(join(folder, 'out/assets/articles/harbour-reopens/index.html'))
    expect(built.equals(staged)).toBe(true)
  })

  it('leaves to the next build what the quick path leaves to it', async () => {
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'The harbour is open.'))
    await build()
    const staging = await stage()
    const before = await readFile(join(staging, 'articles/harbour-reopens/index.html'))
    const since = Date.now()
    // A new title moves the page, and a new file has none yet: both wait for the next build.
    await writeFile(join(seeds(), 'a.md'), article('Harbour closes', 'Closed.'))
    await writeFile(join(seeds(), 'c.md'), article('Ferry times', 'Hourly.'))
    const written = await refreshSaved(['a.md', 'c.md', 'gone.md'], since, staging)
    expect(written).toEqual([])
    expect(
      (await readFile(join(staging, 'articles/harbour-reopens/index.html'))).equals(before),
    ).toBe(true)
  })

  it('makes again in the staged folder a page the build keeps in the live folder', async () => {
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'The harbour is open.'))
    await writeFile(join(seeds(), 'b.md'), article('Tide tables', 'High water at noon.'))
    await build()
    // The preview's build keeps unchanged pages where they are; its staged folder lacks them.
    const staging = join(folder, 'out/assets.staged')
    await mkdir(staging)
    const since = Date.now()
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'Kept, then **edited**.'))
    await writeFile(join(seeds(), 'b.md'), article('Tide tables', 'Low water at six.'))
    // b's page is neither staged nor kept: this build put it elsewhere (in a pack).
    const written = await refreshSaved(
      ['a.md', 'b.md'],
      since,
      staging,
      new Set(['/articles/harbour-reopens/index.html']),
    )
    expect(written).toEqual(['/articles/harbour-reopens/index.html'])
    const staged = await readFile(join(staging, 'articles/harbour-reopens/index.html'), 'utf8')
    expect(staged).toContain('Kept, then <strong>edited</strong>')
    expect(await readdir(join(staging, 'articles'))).toEqual(['harbour-reopens'])
  })

  it("makes again in the staged folder an older article's pack the build keeps in the live folder", async () => {
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'The harbour is open.'))
    await build()
    const [pack] = await readdir(join(folder, 'out/assets/_packs/articles'))
    const packPath = `/_packs/articles/${pack}`
    const staging = join(folder, 'out/assets.staged')
    await mkdir(staging)
    const since = Date.now()
    await writeFile(join(seeds(), 'a.md'), article('Harbour reopens', 'Packed, then **edited**.'))
    // Its page is in the pack alone: an older article's.
    const written = await refreshSaved(['a.md'], since, staging, new Set([packPath]))
    expect(written).toEqual([packPath])
    const staged = await readFile(join(staging, packPath))
    expect(staged.equals(await readFile(join(folder, 'out/assets', packPath)))).toBe(false)
    await build()
    expect(staged.equals(await readFile(join(folder, 'out/assets', packPath)))).toBe(true)
  })
})
