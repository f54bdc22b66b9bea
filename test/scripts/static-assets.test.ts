import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCorpus } from '../../scripts/generate-corpus.ts'
import { writeCorpus } from '../../scripts/lib/bench-corpus.ts'
import {
  type BuiltWorker,
  buildWorker,
  serveWorker,
  type WorkerdServer,
} from '../../scripts/lib/workerd-server.ts'
import { compileContent } from '../../src/build/content/compile-content.ts'
import type { CompiledContent } from '../../src/contract/compiled.ts'
import { openSiteIndex, type SiteIndexModule } from '../../src/contract/site-index-module.ts'
import { readJsonFeed } from '../support/readers.ts'

/**
 * The worker as deployed: built by `wrangler deploy --dry-run` over a corpus,
 * its bundle and static assets served by workerd (scripts/lib/workerd-server.ts),
 * with a feed limit small enough that most articles' HTML lives in static
 * assets only. What a reader gets must not change: every article in the
 * archives with its full content, every published page, no future one.
 */

const PORT = 8766
const ASSETS_PORT = 8767
const FEED_ITEM_LIMIT = '4'
const ARTICLES = 40
const FUTURE = 3

let work: string
let worker: BuiltWorker
let server: WorkerdServer
let compiled: CompiledContent

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'static-assets-'))
  const corpus = join(work, 'corpus')
  await writeCorpus(corpus, ARTICLES, 3, { future: FUTURE })
  worker = await buildWorker({
    outDir: join(work, 'build'),
    seeds: corpus,
    env: { FEED_ITEM_LIMIT },
  })
  server = await serveWorker(worker, {
    port: PORT,
    assetsPort: ASSETS_PORT,
    vars: { ...worker.vars, FEED_ITEM_LIMIT },
  })
  const encoder = new TextEncoder()
  const files = generateCorpus({ articles: ARTICLES, topics: 3, seed: 1, future: FUTURE })
  const result = compileContent(
    [...files].map(([path, text]) => ({ path, bytes: encoder.encode(text) })),
  )
  if (!result.ok) throw new Error('the corpus did not compile')
  compiled = result.content
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await rm(work, { recursive: true, force: true })
})

const published = () =>
  compiled.articles.filter((article) => Date.parse(article.published) <= Date.now())
const future = () =>
  compiled.articles.filter((article) => Date.parse(article.published) > Date.now())

describe('static assets of the deployed worker', () => {
  it('hold a page for every published article, and none for a future-dated one', async () => {
    const pages = await readdir(join(worker.assetsDir!, 'articles'))
    expect(pages.sort()).toEqual(
      published()
        .map((article) => article.slug)
        .sort(),
    )
    expect(future()).toHaveLength(FUTURE)
    for (const article of future()) {
      for (const base of [server.assetsUrl!, server.url]) {
        const response = await fetch(`${base}/articles/${article.slug}/`)
        expect(response.status, `${base} ${article.slug}`).toBe(404)
        expect(await response.text()).not.toContain(article.title)
      }
    }
  })

  it('serve an article page with the worker’s security headers and links that work on any origin', async () => {
    const article = published().at(-1)!
    const response = await fetch(`${server.assetsUrl}/articles/${article.slug}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).toContain(`<link rel="canonical" href="/articles/${article.slug}/">`)
    expect(html).not.toContain('origin.invalid')
    // A request that reaches the worker anyway gets the same page, through the ASSETS binding.
    const fromWorker = await fetch(`${server.url}/articles/${article.slug}/`)
    expect(await fromWorker.text()).toBe(html)
  })

  it('keep feeds whole: the archives reach every published article once, with its full content', async () => {
    const seen = new Map<string, string>()
    let next: string | undefined = `${server.url}/feed.json`
    while (next) {
      const response: Response = await fetch(next.replace(/^https?:\/\/[^/]+/, server.url))
      expect(response.status, next).toBe(200)
      const { raw } = readJsonFeed(await response.text())
      for (const item of raw.items as { id: string; content_html: string }[]) {
        expect(seen.has(item.id), item.id).toBe(false)
        seen.set(item.id, item.content_html)
      }
      next = raw.next_url as string | undefined
    }
    expect([...seen.keys()].sort()).toEqual(
      published()
        .map((article) => article.id)
        .sort(),
    )
    for (const article of published()) {
      const body = article.contentHtml!.replaceAll('https://origin.invalid', server.url)
      expect(seen.get(article.id), article.slug).toContain(body)
    }
  })

  it('leave out of the bundle every article: it holds the site index, bounded by topics and feed size', async () => {
    const generated = join(worker.bundleDir, '..', 'project', 'generated')
    const module = (await import(join(generated, 'content.js'))).default as SiteIndexModule
    const topicBytes = await readFile(join(generated, 'content-topics.bin'))
    // The topics' states and pages travel as a Data module of the bundle, beside the JavaScript.
    expect(worker.modules.filter((file) => file.endsWith('-content-topics.bin'))).toHaveLength(1)
    const bundle = openSiteIndex(module, new Uint8Array(topicBytes))
    const text = JSON.stringify(bundle)
    for (const article of compiled.articles) expect(text).not.toContain(article.title)
    // The newest items of the site and of each of the 3 topics, by id, with their fragments.
    expect(bundle.siteFeed.at(-1)!.value.items.length).toBeLessThanOrEqual(Number(FEED_ITEM_LIMIT))
    expect(bundle.topics).toHaveLength(3)
    for (const topic of bundle.topics)
      expect(topic.states.at(-1)!.value!.items.length).toBeLessThanOrEqual(Number(FEED_ITEM_LIMIT))
  })

  it('answer 404 to direct requests for the private documents and packs', async () => {
    const privateFiles = (await readdir(join(worker.assetsDir!, '_docs'))).slice(0, 3)
    expect(privateFiles.length).toBeGreaterThan(0)
    for (const file of privateFiles) {
      const response = await fetch(`${server.url}/_docs/${file}`)
      expect(response.status, file).toBe(404)
    }
  })
})
