import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { editArticle, listArticleFiles } from '../../scripts/lib/content-builds.ts'
import { measureCommand } from '../../scripts/lib/measure-command.ts'
import { discoverRoutes, readFeedLinks } from '../../scripts/lib/site-routes.ts'
import { runBounded } from '../../scripts/lib/time-bound.ts'

/**
 * The benchmark harness's own parts: routes found from the documents a site
 * serves (whatever its paths), article edits that keep the file's layout,
 * and time bounds that stop what they started.
 */

/** A tiny site with paths of its own, to prove that discovery assumes none. */
function site(origin: () => string, options: { archive: boolean }): Record<string, string> {
  const o = origin()
  const feeds = (base: string) =>
    `<link rel="alternate" type="application/rss+xml" href="${o}${base}/news.rss">` +
    `<link rel="alternate" type="application/atom+xml" href="${o}${base}/news.atom">` +
    `<link rel="alternate" type="application/feed+json" href="${o}${base}/news.json">`
  const json = (items: string[], next?: string) =>
    JSON.stringify({ items: items.map((url) => ({ url: `${o}${url}` })), next_url: next })
  return {
    '/': `<html><head>${feeds('/x')}</head><body><a href="${o}/list.opml" type="text/x-opml">All</a></body></html>`,
    '/list.opml': `<opml><body><outline xmlUrl="${o}/x/news.rss" htmlUrl="${o}/"/><outline xmlUrl="${o}/t/a&amp;b/news.rss" htmlUrl="${o}/t/a&amp;b/"/><outline xmlUrl="${o}/t/c/news.rss" htmlUrl="${o}/t/c/"/></body></opml>`,
    '/x/news.rss': '<rss/>',
    '/x/news.atom': '<feed/>',
    '/x/news.json': json(['/p/new/'], options.archive ? `${o}/old/1.json` : undefined),
    '/old/1.json': json(['/p/mid/', '/p/old/']),
    '/t/a&b/': `<html><head>${feeds('/t/a&amp;b')}</head><body><a rel="next" href="page/2/">Older</a></body></html>`,
    '/t/a&b/page/2/': '<html>older</html>',
    '/t/a&b/news.rss': '<rss/>',
    '/t/a&b/news.atom': '<feed/>',
    '/t/a&b/news.json': json([]),
    '/t/c/': `<html><head>${feeds('/t/c')}</head></html>`,
    '/t/c/news.rss': '<rss/>',
    '/t/c/news.atom': '<feed/>',
    '/t/c/news.json': json([]),
    '/x/news.json?topics=a&b,c': json([]),
    '/p/new/': '<html>new</html>',
    '/p/old/': '<html>old</html>',
  }
}

async function serve(options: { archive: boolean }): Promise<{ url: string; server: Server }> {
  let pages: Record<string, string> = {}
  const server = createServer((request, response) => {
    const body = pages[decodeURIComponent(request.url ?? '/')]
    response.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found')
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  pages = site(() => url, options)
  return { url, server }
}

describe('route discovery', () => {
  const servers: Server[] = []
  afterAll(() => {
    for (const server of servers) server.close()
  })

  it('finds every route kind from the documents, whatever the paths', async () => {
    const { url, server } = await serve({ archive: true })
    servers.push(server)
    const found = await discoverRoutes({ url }, { deadline: Date.now() + 10_000 })
    const path = (kind: string) => found.routes.find((route) => route.kind === kind)?.path
    expect(path('site feed, RSS')).toBe('/x/news.rss')
    expect(path('site feed, JSON')).toBe('/x/news.json')
    expect(path('topic feed')).toBe('/t/a&b/news.rss')
    expect(path('topic page')).toBe('/t/a&b/')
    expect(path('topic page, older')).toBe('/t/a&b/page/2/')
    expect(path('archive page')).toBe('/old/1.json')
    expect(path('article page, newest')).toBe('/p/new/')
    expect(path('article page, archived')).toBe('/p/old/')
    expect(found.routes.find((route) => route.kind === 'not found (404)')?.status).toBe(404)
    expect(found.subscriptions).toHaveLength(9)
    expect(found.subscriptions).toContain('/t/c/news.atom')
    expect(path('filtered feed')).toBe('/x/news.json?topics=a%26b,c')
    expect(found.absent).toEqual([{ kind: 'sitemap', reason: 'robots.txt names no sitemap' }])
  })

  it('reports a route kind the site does not offer as absent, with the reason', async () => {
    const { url, server } = await serve({ archive: false })
    servers.push(server)
    const found = await discoverRoutes({ url }, { deadline: Date.now() + 10_000 })
    const reason = (kind: string) => found.absent.find((entry) => entry.kind === kind)?.reason
    expect(reason('archive page')).toMatch(/no archive/)
    expect(reason('article page, archived')).toBeDefined()
    expect(found.routes.some((route) => route.kind === 'article page, newest')).toBe(true)
  })

  it('reads feed links with entities decoded and other origins left out', () => {
    const page =
      '<link rel="alternate" type="application/rss+xml" href="/a?x=1&amp;y=2">' +
      '<link rel="alternate" type="application/atom+xml" href="https://elsewhere.example/f">'
    expect(readFeedLinks(page, 'http://127.0.0.1:1/')).toEqual({ rss: '/a?x=1&y=2' })
  })
})

describe('editing an article', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'bench-harness-'))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  const prose = 'Officials said the harbour would reopen next week, after repairs to the quay wall.'

  it('adds the marker to a paragraph of a markdown body, not to the front matter', async () => {
    const text = `---\ntitle: "A title long enough to look like prose when it is read as a line"\nsummary: ${prose}\n---\n\n${prose}\n\n${prose}\n`
    await writeFile(join(folder, 'a.md'), text)
    await editArticle(folder, 'a.md', 'MARK')
    const lines = (await readFile(join(folder, 'a.md'), 'utf8')).split('\n')
    expect(lines[2]).toBe(`summary: ${prose}`)
    expect(lines[5]).toBe(`${prose} MARK.`)
    expect(lines[7]).toBe(prose)
  })

  it('keeps a plain-text article’s trailer last', async () => {
    const text = `# Title\n\nOctober 22, 2024\n\n${prose}\n\nOriginal url:\n\n<https://example.org/story>\n`
    await writeFile(join(folder, 'b.txt'), text)
    await editArticle(folder, 'b.txt', 'MARK')
    const edited = await readFile(join(folder, 'b.txt'), 'utf8')
    expect(edited).toContain(`${prose} MARK.`)
    expect(edited.trimEnd().endsWith('<https://example.org/story>')).toBe(true)
    expect(await listArticleFiles(folder)).toEqual(['a.md', 'b.txt'])
  })
})

describe('time bounds', () => {
  it('turns a failure into an outcome that names the phase', async () => {
    const outcome = await runBounded('a phase', 5_000, async () => {
      throw new Error('broke')
    })
    expect(outcome).toMatchObject({ ok: false, reason: 'failed', message: 'a phase: broke' })
  })

  it('stops a command whose processes hold more memory than allowed, as not fitting', async () => {
    const grow = 'const kept = []; setInterval(() => kept.push(Buffer.alloc(20e6, 1)), 50)'
    const outcome = await runBounded('a growing command', 20_000, (signal) =>
      measureCommand(process.execPath, ['-e', grow], {
        cwd: tmpdir(),
        signal,
        maxRssBytes: 300 * 1024 * 1024,
      }),
    )
    expect(outcome).toMatchObject({ ok: false, reason: 'did not fit' })
    expect(outcome.ok ? '' : outcome.message).toMatch(/did not fit.*0\.3 GiB/)
  })

  it('stops a command and the processes it started when its time is up', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'bench-harness-'))
    const pidFile = join(folder, 'pid')
    try {
      const outcome = await runBounded('a slow command', 500, (signal) =>
        measureCommand('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], {
          cwd: folder,
          signal,
        }),
      )
      expect(outcome).toMatchObject({ ok: false, reason: 'timed out' })
      expect(outcome.ms).toBeLessThan(10_000)
      const grandchild = Number(await readFile(pidFile, 'utf8'))
      await new Promise((done) => setTimeout(done, 200))
      expect(isRunning(grandchild)).toBe(false)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})

/** Whether a process is still alive (a zombie waiting to be reaped has stopped). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
