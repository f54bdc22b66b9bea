import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/lib/bench-corpus.ts'
import { carryBuildState, editArticle, listArticleFiles } from '../../scripts/lib/content-builds.ts'
import { recordDeployedLock } from '../../scripts/lib/deployed-lock.ts'
import { openSiteIndex, type SiteIndexModule } from '../../src/contract/site-index-module.ts'
import { JPEG_40x30, PNG_24x16 } from '../support/images.ts'
import { runScript, type ScriptRun, SLOW } from '../support/scripts.ts'

let folder: string

/** An article with nothing to warn about. */
const GOOD = '---\ntitle: A\ndate: 2024-01-01\nsummary: All about A.\n---\nBody'

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'build-content-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function build(env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(
    'build-content.ts',
    ['--seeds', join(folder, 'seeds'), '--out', join(folder, 'out/content.js')],
    env,
  )
}

async function seed(name: string, text: string | Uint8Array): Promise<void> {
  await mkdir(join(folder, 'seeds'), { recursive: true })
  await writeFile(join(folder, 'seeds', name), text)
}

describe('the content build script', SLOW, () => {
  it('writes the compiled module and its types, and says what it did', async () => {
    await seed('a.md', '---\ntitle: A\ndate: 2024-01-01\ntopics: [Harbour, Weather]\n---\nBody')
    await seed('draft.md', '---\ntitle: D\ndate: 2024-01-01\ndraft: true\n---\nBody')
    await seed('notes.json', '{}')
    const result = await build()
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /\[content\] 1 article compiled \(1 draft left out\) and prerendered: .* the site index in .*content\.js/,
    )
    const module = await readFile(join(folder, 'out/content.js'), 'utf8')
    const data = JSON.parse(
      JSON.parse(/^export default JSON\.parse\((".*")\)\n$/s.exec(module)![1]!),
    )
    // The bundle holds the site index, never the articles themselves.
    expect((data as SiteIndexModule).siteFeed[0]!.value.items).toHaveLength(1)
    expect(module).not.toContain('Body')
    expect(await readFile(join(folder, 'out/content.d.ts'), 'utf8')).toContain('SiteIndexModule')
    // Each topic's states and pages are in the Data module beside it.
    const topics = await readFile(join(folder, 'out/content-topics.bin'))
    expect(topics.toString()).not.toContain('Body')
    const index = openSiteIndex(data as SiteIndexModule, new Uint8Array(topics))
    expect(index.topics.map((topic) => [topic.name, topic.states[0]!.value!.items.length])).toEqual(
      [
        ['Harbour', 1],
        ['Weather', 1],
      ],
    )
    // Published before the build: its page is a static asset, with root-relative links.
    const page = await readFile(join(folder, 'out/assets/articles/a/index.html'), 'utf8')
    expect(page).toContain('<link rel="canonical" href="/articles/a/">')
    expect(await readFile(join(folder, 'out/assets/_headers'), 'utf8')).toContain(
      'Content-Security-Policy:',
    )
  })

  it('publishes the images an article shows as they are, keeps each copy while its file is unchanged, and a replaced one with its new size', async () => {
    const { default: sharp } = await import('sharp')
    const article = (body: string) =>
      `---\ntitle: Photo\ndate: 2024-01-01\nsummary: S.\nimage: pics/photo.jpg\nimage_credit: Desk\n---\n${body}\n\n![Chart](pics/chart.png)`
    await seed('photo.md', article('Body'))
    await mkdir(join(folder, 'seeds/pics'), { recursive: true })
    await seed('pics/photo.jpg', JPEG_40x30)
    await seed('pics/chart.png', PNG_24x16)
    const assets = join(folder, 'out/assets')
    const page = () => readFile(join(assets, 'articles/photo/index.html'), 'utf8')
    expect((await build()).code).toBe(0)
    expect(new Uint8Array(await readFile(join(assets, 'pics/photo.jpg')))).toEqual(JPEG_40x30)
    expect(new Uint8Array(await readFile(join(assets, 'pics/chart.png')))).toEqual(PNG_24x16)
    expect(await page()).toMatch(/<img src="\/pics\/photo\.jpg" width="40" height="30"/)
    expect(await page()).toContain('width="24" height="16"')
    const copied = await stat(join(assets, 'pics/photo.jpg'))

    // The article edited, its images not: the copies the last build made stay where they are.
    await seed('photo.md', article('Edited body'))
    expect((await build()).code).toBe(0)
    expect(await page()).toContain('Edited body')
    const kept = await stat(join(assets, 'pics/photo.jpg'))
    expect([kept.ino, kept.mtimeMs]).toEqual([copied.ino, copied.mtimeMs])

    // The picture replaced by a larger one: published as it is now, with its size.
    const larger = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 0, g: 90, b: 160 } },
    })
      .jpeg()
      .toBuffer()
    await seed('pics/photo.jpg', larger)
    expect((await build()).code).toBe(0)
    expect(await readFile(join(assets, 'pics/photo.jpg'))).toEqual(larger)
    expect(await page()).toMatch(/<img src="\/pics\/photo\.jpg" width="64" height="48"/)
  })

  it("publishes the site icons from the seeds folder's site-icon file, and refuses two", async () => {
    const { default: sharp } = await import('sharp')
    const red = { r: 200, g: 0, b: 0, alpha: 1 }
    const png = await sharp({ create: { width: 512, height: 512, channels: 4, background: red } })
      .png()
      .toBuffer()
    await seed('a.md', GOOD)
    await seed('site-icon.png', png)
    const result = await build()
    expect(result.code).toBe(0)
    const assets = join(folder, 'out/assets')
    for (const [path, size] of [
      ['icons/icon-512.png', 512],
      ['icons/icon-64.png', 64],
      ['apple-touch-icon.png', 180],
    ] as const) {
      const { data, info } = await sharp(await readFile(join(assets, path)))
        .raw()
        .toBuffer({ resolveWithObject: true })
      expect([info.width, info.height], path).toEqual([size, size])
      expect([...data.subarray(0, 3)], path).toEqual([200, 0, 0])
    }
    expect((await readFile(join(assets, 'favicon.ico'))).subarray(0, 4)).toEqual(
      Buffer.from([0, 0, 1, 0]),
    )

    await seed('site-icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const twice = await build()
    expect(twice.code).toBe(1)
    expect(twice.stderr).toContain(
      'site-icon.svg: site icon: is a second site icon beside site-icon.png. Keep one site-icon file at the top of the seeds folder',
    )
  })

  it('fails with every problem and leaves the last good output untouched', async () => {
    await seed('a.md', GOOD)
    expect((await build()).code).toBe(0)
    const good = await readFile(join(folder, 'out/content.js'), 'utf8')
    const before = await stat(join(folder, 'out/content.js'))

    await seed('b.md', '---\ndate: 2024-01-01\n---\nBody')
    await seed('c.md', '---\ntitle: C\ndate: 2024-13-01\n---\nBody')
    const result = await build()
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/^\[content\] .*seeds\/b\.md:1: title: the article has no title\./)
    expect(lines[1]).toMatch(
      /^\[content\] .*seeds\/c\.md:3: date: "2024-13-01" is not a day of the calendar\./,
    )
    expect(lines[2]).toMatch(
      /^\[content\] build failed: 2 errors; .*content\.js was left as it was$/,
    )
    expect(await readFile(join(folder, 'out/content.js'), 'utf8')).toBe(good)
    expect((await stat(join(folder, 'out/content.js'))).mtimeMs).toBe(before.mtimeMs)
  }, 20_000)

  it("leaves output that is already this build's as it is, and rebuilds when an input changes", async () => {
    await seed('a.md', GOOD)
    const content = join(folder, 'out/content.js')
    const prerendered = /and prerendered: /
    const kept = /and already prerendered, nothing changed: /
    // This test is about the output's stamp. A build whose inputs settled (RACY_MS) records
    // them, and the next one then stops before the stamp is looked at (the next test): how
    // soon that happens depends on the machine, so the record goes before each quiet build.
    const forgetInputs = () => rm(join(folder, 'out/content.inputs.json'), { force: true })
    expect((await build()).stdout).toMatch(prerendered)
    const first = await stat(content)
    await forgetInputs()
    const again = await build()
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(kept)
    expect((await stat(content)).mtimeMs).toBe(first.mtimeMs)
    // A setting the documents are rendered with.
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(prerendered)
    expect(await readFile(content, 'utf8')).toContain('https://news.example')
    await forgetInputs()
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(kept)
    // An article.
    await seed('a.md', GOOD.replace('Body', 'Edited body'))
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(prerendered)
    // Output changed or lost behind the build's back, or a stamp that is not one.
    await rm(join(folder, 'out/assets'), { recursive: true })
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(prerendered)
    await readFile(join(folder, 'out/assets/articles/a/index.html'), 'utf8')
    await writeFile(join(folder, 'out/content.stamp.json'), '{"format":"output-stamp 1","key":')
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(prerendered)
  }, 60_000)

  it('says again what the last good build said when nothing it reads or wrote changed', async () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 2_100))
    const content = join(folder, 'out/content.js')
    const compiled = /\[content\] \d+ articles? compiled/
    const unchanged =
      /\[content\] 2 files of .* as the last build read them: .*content\.js and its assets are already its output, nothing changed/
    // No summary: a warning, which every build says, the quick one too.
    await seed('a.md', '---\ntitle: A\ndate: 2024-01-01\n---\nBody')
    // Due a few seconds from now: until then the output is right, from then on it is not.
    const due = new Date(Date.now() + 12_000)
    await seed(
      'b.md',
      `---\ntitle: B\ndate: ${due.toISOString().slice(0, 19)}Z\nsummary: Soon.\n---\nBody`,
    )
    // A file changed in the last two seconds may change again unseen: that build records nothing.
    const racy = await build()
    expect(racy.stdout).toMatch(compiled)
    await expect(stat(join(folder, 'out/content.inputs.json'))).rejects.toThrow(/ENOENT/)
    await settle()
    const first = await build()
    expect(first.stdout).toMatch(compiled)
    const written = await stat(content)
    const again = await build()
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(unchanged)
    expect(again.stdout).not.toMatch(compiled)
    expect(again.stderr).toBe(first.stderr)
    expect(again.stderr).toContain('a.md:2: warning: summary: the article has no summary')
    expect((await stat(content)).mtimeMs).toBe(written.mtimeMs)
    // A setting, given in the environment.
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(compiled)
    expect((await build({ SITE_URL: 'https://news.example' })).stdout).toMatch(unchanged)
    expect((await build()).stdout).toMatch(compiled)
    // Output changed behind the build's back.
    await writeFile(join(folder, 'out/problems.js'), 'export default []\n')
    expect((await build()).stdout).toMatch(compiled)
    expect((await build()).stdout).toMatch(unchanged)
    // The article became due: the output that hid it is no longer right.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, due.getTime() - Date.now() + 100)),
    )
    expect((await build()).stdout).toMatch(compiled)
    // A file added, even one that is no article; a failed build fails again.
    await seed('c.md', '---\ndate: 2024-01-01\n---\nBody')
    await settle()
    expect((await build()).code).toBe(1)
    const failed = await build()
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('c.md:1: title: the article has no title.')
  }, 90_000)

  it('says how long each phase took when asked (--times), even when quiet', async () => {
    await seed('a.md', GOOD)
    const timed = () =>
      runScript('build-content.ts', [
        '--seeds',
        join(folder, 'seeds'),
        '--out',
        join(folder, 'out/content.js'),
        '--quiet',
        '--times',
      ])
    const phase = (name: string) => `${name} (\\d+\\.\\d\\d) s`
    const line = (names: string[]) =>
      new RegExp(
        `^\\[content\\] times: ${names.map(phase).join(', ')} \\((\\d+\\.\\d\\d) s in all\\)$`,
        'm',
      )
    const all = [
      'start',
      'scan',
      'list',
      'articles',
      'finish',
      'lock',
      'icons',
      'prerender',
      'record',
    ]
    const built = await timed()
    expect(built.code).toBe(0)
    expect(built.stdout).toBe('')
    const times = line(all).exec(built.stderr)
    expect(times).not.toBeNull()
    // The phases follow one another: together they are the whole.
    const numbers = times!.slice(1).map(Number)
    const total = numbers.pop()!
    expect(Math.abs(numbers.reduce((sum, n) => sum + n, 0) - total)).toBeLessThanOrEqual(
      0.01 * all.length,
    )
    // A build with nothing to do stops after the scan, and says so.
    // (Its files settled first: a build records its inputs only then, see input-stamp.ts.)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    await timed()
    const quick = await timed()
    expect(quick.stderr).toMatch(line(['start', 'scan']))
    // Without --times, nothing is said of them.
    expect((await build()).stderr).not.toContain('times:')
  }, 30_000)

  it('loads only what tells that nothing changed when nothing did: not the compiler, the prerender or sharp', async () => {
    const log = join(folder, 'loaded.txt')
    const loaded = async (): Promise<{ run: ScriptRun; modules: string }> => {
      await rm(log, { force: true })
      const hook = new URL('../support/log-loaded-modules.ts', import.meta.url).pathname
      const run = await build({ NODE_OPTIONS: `--import ${hook}`, LOADED_MODULES_LOG: log })
      return { run, modules: await readFile(log, 'utf8') }
    }
    const heavy = [
      '/scripts/seeds-folder.ts',
      '/src/build/content/compile-content.ts',
      '/src/build/write-worker-content.ts',
      '/src/build/prerender/prerender-site.ts',
      '/src/build/icons/derive-site-icons.ts',
      '/node_modules/sharp/',
      '/node_modules/markdown-it/',
    ]
    await seed('a.md', GOOD)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    // A build with something to do loads them, where it uses them: the log sees such imports.
    const compiling = await loaded()
    expect(compiling.run.stdout).toMatch(/\[content\] 1 article compiled/)
    for (const module of heavy) expect(compiling.modules).toContain(module)
    const unchanged = await loaded()
    expect(unchanged.run.code).toBe(0)
    expect(unchanged.run.stdout).toMatch(/as the last build read them: .* nothing changed/)
    expect(unchanged.modules).toContain('/src/build/input-stamp.ts')
    for (const module of heavy) expect(unchanged.modules).not.toContain(module)
  })

  it('refuses a link that leads out of the seeds folder', async () => {
    await seed('a.md', '---\ntitle: A\ndate: 2024-01-01\n---\nBody')
    await writeFile(join(folder, 'secret.md'), '---\ntitle: Secret\ndate: 2024-01-01\n---\nBody')
    await symlink(join(folder, 'secret.md'), join(folder, 'seeds', 'link.md'))
    const result = await build()
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('link.md: file: is a link to a file outside the seeds folder.')
  })
})

describe('the content build with its cache carried to a fresh clone, as CI keeps it', SLOW, () => {
  const seeds = () => join(folder, 'seeds')
  const buildIn = (at: string) =>
    runScript('build-content.ts', [
      '--seeds',
      seeds(),
      '--out',
      join(folder, at, 'generated/content.js'),
      '--cache',
      join(folder, at, '.cache'),
    ])
  /** Every file of the output, by path: the site index, its data and the assets. */
  async function outputOf(at: string): Promise<Map<string, Buffer>> {
    const root = join(folder, at, 'generated')
    const files = new Map<string, Buffer>()
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      // The build's own records differ between the two by design: its inputs' stamps, what it kept.
      if (!entry.isFile() || /^content\.(?:inputs|stamp)\.json$/.test(entry.name)) continue
      const path = join(entry.parentPath, entry.name)
      files.set(path.slice(root.length), await readFile(path))
    }
    return files
  }
  /** `.cache/` and `generated/` carried through tar around a fresh clone of the seeds (CI). */
  const carry = (format: 'posix' | 'gnu') =>
    carryBuildState(join(folder, 'ci'), seeds(), { format })

  it('keeps what the restored folders hold, when the archive keeps their times (tar --posix, as actions/cache does), and writes what a clean build writes', async () => {
    await writeCorpus(seeds(), 40, 8)
    expect((await buildIn('ci')).code).toBe(0)
    const edit = async (n: number) =>
      editArticle(seeds(), (await listArticleFiles(seeds()))[n]!, `Edited ${n}`)
    await carry('posix')
    await edit(3)
    const restored = await buildIn('ci')
    expect(restored.code).toBe(0)
    // Every file read again (its stamp is new), one compiled, most documents kept.
    expect(restored.stdout).toMatch(/40 article files: 40 read, 39 from the cache, 1 compiled/)
    expect(restored.stdout).toMatch(
      /; [1-9]\d* files and [1-9]\d* of \d+ feed scopes kept from the last build;/,
    )
    expect((await buildIn('clean')).code).toBe(0)
    expect(await outputOf('ci')).toEqual(await outputOf('clean'))

    // Whole seconds (GNU tar's own format): the kept files' times are not theirs, so they are
    // made again; the output is the same all the same.
    await carry('gnu')
    await edit(30)
    expect((await buildIn('ci')).stdout).toMatch(
      /40 article files: 40 read, 39 from the cache, 1 compiled/,
    )
    await rm(join(folder, 'clean'), { recursive: true })
    expect((await buildIn('clean')).code).toBe(0)
    expect(await outputOf('ci')).toEqual(await outputOf('clean'))
  }, 120_000)
})

describe('the content build and the published-article lock', SLOW, () => {
  const out = () => join(folder, 'out')
  const lockFile = () => join(folder, 'seeds/published.lock.json')
  const lockedUrls = async () =>
    JSON.parse(await readFile(lockFile(), 'utf8')).published.map(
      (entry: { url: string }) => entry.url,
    )

  it('never writes the lock: an article that was never deployed can be deleted', async () => {
    await seed('a.md', GOOD)
    await seed('b.md', '---\ntitle: B\ndate: 2024-01-02\n---\nBody')
    expect((await build()).code).toBe(0)
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/)
    await rm(join(folder, 'seeds/b.md'))
    expect((await build()).code).toBe(0)
  })

  it('after a deploy records it, stops a build that deletes a deployed article', async () => {
    await seed('a.md', GOOD)
    await seed('b.md', '---\ntitle: B\ndate: 2024-01-02\n---\nBody')
    expect((await build()).code).toBe(0)
    // What `npm run deploy` does once `wrangler deploy` has succeeded.
    expect(await recordDeployedLock(out(), lockFile())).toMatchObject({
      recorded: true,
      published: 2,
    })
    expect(await lockedUrls()).toEqual(['/articles/a/', '/articles/b/'])
    const good = await readFile(join(folder, 'out/content.js'), 'utf8')
    await rm(join(folder, 'seeds/b.md'))
    const result = await build()
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^\[content\] .*seeds\/b\.md: file: the published article \/articles\/b\/ \(id urn:uuid:[0-9a-f-]+\) is gone\. .*moving its entry from "published" to "retired" in .*published\.lock\.json/m,
    )
    expect(await readFile(join(folder, 'out/content.js'), 'utf8')).toBe(good)
    // A failed build leaves nothing a deploy could record.
    expect(await recordDeployedLock(out(), lockFile())).toMatchObject({ recorded: false })
  })

  it('leaves the same lock whether its check was kept from the last build or made again', async () => {
    const pending = () => readFile(join(folder, 'out/published.lock.json'), 'utf8')
    const cache = join(folder, 'cache')
    await seed('a.md', GOOD)
    await seed('b.md', '---\ntitle: B\ndate: 2024-01-02\n---\nBody')
    expect((await build({ CONTENT_CACHE: cache })).code).toBe(0)
    const made = await pending()
    const [kept] = await readdir(join(cache, 'content'))
    const checked = join(cache, 'content', kept!, 'checked-lock')
    expect(await readFile(checked, 'utf8')).toContain(made)
    // An edit the lock does not record: the check kept by the last build is its answer.
    await seed('b.md', '---\ntitle: B\ndate: 2024-01-02\n---\nAnother body')
    expect((await build({ CONTENT_CACHE: cache })).code).toBe(0)
    expect(await pending()).toBe(made)
    // Kept, but damaged: checked again, with the same answer.
    await writeFile(
      checked,
      (await readFile(checked, 'utf8')).replace('/articles/a/', '/articles/c/'),
    )
    await seed('b.md', '---\ntitle: B\ndate: 2024-01-02\n---\nA third body')
    expect((await build({ CONTENT_CACHE: cache })).code).toBe(0)
    expect(await pending()).toBe(made)
    expect((await build({ CONTENT_CACHE: '' })).code).toBe(0)
    expect(await pending()).toBe(made)
    // A deploy records the lock: the next check is made against it, and finds a deleted article.
    await recordDeployedLock(out(), lockFile())
    await rm(join(folder, 'seeds/b.md'))
    expect((await build({ CONTENT_CACHE: cache })).code).toBe(1)
  })

  it('catches a deployed article whose URL or id would change', async () => {
    await seed('a.md', GOOD)
    expect((await build()).code).toBe(0)
    await recordDeployedLock(out(), lockFile())
    await seed('a.md', GOOD.replace('title: A', 'title: A\nslug: renamed'))
    const moved = await build()
    expect(moved.code).toBe(1)
    expect(moved.stderr).toContain(
      'a.md: slug: its published URL /articles/a/ would change to /articles/renamed/, breaking every link to it.',
    )
    await seed(
      'a.md',
      GOOD.replace('title: A', 'title: A\nid: urn:uuid:00000000-0000-4000-8000-000000000000'),
    )
    const renumbered = await build()
    expect(renumbered.code).toBe(1)
    expect(renumbered.stderr).toMatch(
      /a\.md: id: its published id urn:uuid:[0-9a-f-]+ would change to urn:uuid:00000000-0000-4000-8000-000000000000/,
    )
  })
})

describe('warnings in the build', SLOW, () => {
  it('prints them and still builds', async () => {
    await seed('a.md', '---\ntitle: A\ndate: 2024-01-01\nimage: /a.jpg\n---\nBody')
    const result = await build()
    expect(result.code).toBe(0)
    expect(result.stderr.trim().split('\n')).toEqual([
      `[content] ${join(folder, 'seeds')}/a.md:2: warning: summary: the article has no summary, so feeds show the start of its first paragraph. Add \`summary: …\` to the front matter with one or two sentences for feed readers`,
      `[content] ${join(folder, 'seeds')}/a.md:4: warning: image_credit: the image has no credit. Add \`image_credit: …\` naming who made the image and under what licence`,
    ])
    expect(result.stdout).toContain('1 article compiled')
  })
})

describe('the preview build that npm run dev runs (CONTENT_PREVIEW=1)', SLOW, () => {
  const problemsModule = () => join(folder, 'out/problems.js')
  const problemsIn = async () =>
    (await import(`${problemsModule()}?t=${Date.now()}${Math.random()}`)).default as unknown[]
  const contentIn = async () =>
    (await import(`${join(folder, 'out/content.js')}?t=${Date.now()}${Math.random()}`))
      .default as SiteIndexModule

  it('keeps the last good content, writes every problem for the worker to show, and exits 0', async () => {
    await seed('a.md', GOOD)
    expect((await build({ CONTENT_PREVIEW: '1' })).code).toBe(0)
    expect(await problemsIn()).toEqual([])
    const good = await readFile(join(folder, 'out/content.js'), 'utf8')

    await seed('b.md', '---\ntitle: B\ndate: 2024-02-30\nsummary: B.\n---\nBody')
    await seed('c.md', '---\ntitle: C\ndate: 2024-01-01\n---\nBody')
    const result = await build({ CONTENT_PREVIEW: '1' })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      `[content] ${join(folder, 'seeds')}/b.md:3: date: "2024-02-30" is not a day of the calendar.`,
    )
    expect(result.stderr).toMatch(
      /\[content\] build failed: 1 error; .*content\.js was left as it was and the preview shows the problems until they are fixed\n$/,
    )
    expect(await readFile(join(folder, 'out/content.js'), 'utf8')).toBe(good)
    // The asset layer would answer article pages before the worker: they go until the fix.
    expect(await readdir(join(folder, 'out/assets'))).not.toContain('articles')
    expect(await problemsIn()).toEqual([
      {
        file: join(folder, 'seeds', 'b.md'),
        line: 3,
        field: 'date',
        message: '"2024-02-30" is not a day of the calendar',
        hint: 'Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
      },
      {
        file: join(folder, 'seeds', 'c.md'),
        line: 2,
        severity: 'warning',
        field: 'summary',
        message: 'the article has no summary, so feeds show the start of its first paragraph',
        hint: 'Add `summary: …` to the front matter with one or two sentences for feed readers',
      },
    ])

    // Fixed: the next build publishes and empties the list, so the worker serves the site again.
    await seed('b.md', '---\ntitle: B\ndate: 2024-02-28\nsummary: B.\n---\nBody')
    expect((await build({ CONTENT_PREVIEW: '1' })).code).toBe(0)
    expect(await problemsIn()).toEqual([])
    expect((await contentIn()).siteFeed[0]!.value.items).toHaveLength(3)
    expect((await readdir(join(folder, 'out/assets/articles'))).sort()).toEqual(['a', 'b', 'c'])
  })

  it('writes empty content when there was no good build yet, so the worker can start and show the problems', async () => {
    await seed('b.md', '---\ntitle: B\n---\nBody')
    const result = await build({ CONTENT_PREVIEW: '1' })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /content\.js was written empty and the preview shows the problems/,
    )
    const empty = await contentIn()
    expect(empty.version).toBe('empty')
    expect(empty.siteFeed[0]!.value.items).toEqual([])
    expect(await problemsIn()).toHaveLength(1)
  })

  it('is off unless asked for: the same failure without it exits 1', async () => {
    await seed('b.md', '---\ntitle: B\n---\nBody')
    expect((await build()).code).toBe(1)
    expect((await build({ CONTENT_PREVIEW: '0' })).code).toBe(1)
  })
})
