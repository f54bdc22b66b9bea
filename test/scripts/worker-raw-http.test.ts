import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/lib/bench-corpus.ts'
import { freePort } from '../../scripts/lib/free-port.ts'
import { buildWorker, serveWorker, type WorkerdServer } from '../../scripts/lib/workerd-server.ts'
import { type RawResponse, sendRaw } from '../support/raw-http.ts'

/**
 * The reproductions of issue 14 as a client sends them, byte for byte, to the
 * built worker in workerd (no fetch API in between to normalise them): the
 * open redirect, the Hosts and targets that gave bare 500s, CONNECT.
 */

let work: string
let server: WorkerdServer
let port: number
let topic: string
let articles: string[]

const HOST = '127.0.0.1:8787'

function get(target: string, headers: string[] = [`Host: ${HOST}`], method = 'GET') {
  return sendRaw(port, [`${method} ${target} HTTP/1.1`, ...headers].join('\r\n'))
}

function expectSafe(response: RawResponse, what: string): void {
  expect(response.status, what).toBeGreaterThanOrEqual(200)
  expect(response.status, what).toBeLessThan(500)
  const location = response.header('location')
  if (location !== null) {
    expect(location, what).toMatch(/^\/(?![/\\])/)
    expect(new URL(location, `http://${HOST}/a/b`).host, what).toBe(HOST)
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'raw-http-'))
  await writeCorpus(join(work, 'corpus'), 150, 3)
  // Built with a feed limit large enough that the feeds come near the byte budget (settings are
  // read by the build, which prerenders every document).
  const worker = await buildWorker({
    outDir: join(work, 'build'),
    seeds: join(work, 'corpus'),
    env: { FEED_ITEM_LIMIT: '100' },
  })
  port = await freePort()
  server = await serveWorker(worker, { port, vars: { ...worker.vars, FEED_ITEM_LIMIT: '100' } })
  // The sitemap index, then its parts.
  const parts = [
    ...(await get('/sitemap.xml')).body
      .toString()
      .matchAll(/<loc>http:\/\/127\.0\.0\.1:8787([^<]+)<\/loc>/g),
  ].map((match) => match[1]!)
  let sitemap = ''
  for (const part of parts) sitemap += (await get(part)).body.toString()
  articles = [
    ...sitemap.matchAll(/<loc>http:\/\/127\.0\.0\.1:8787(\/articles\/[^<]+)<\/loc>/g),
  ].map((match) => match[1]!)
  expect(articles.length).toBeGreaterThan(20)
  const topics = (await get('/topics/')).body.toString()
  topic = /href="http:\/\/127\.0\.0\.1:8787\/topics\/([^/"]+)\/"/.exec(topics)?.[1] ?? ''
  expect(topic).not.toBe('')
}, 240_000)

afterAll(async () => {
  await server?.stop()
  await rm(work, { recursive: true, force: true })
})

describe('the built worker in workerd, over raw HTTP', () => {
  it('never redirects off the site: backslashes and dot segments in the path are refused (issue 14, item 1)', async () => {
    for (const target of [
      '/articles/..\\\\evil.com',
      '/articles/..\\evil.com',
      '/topics/..\\..\\\\evil.com',
      '/topics/..\\/evil.com',
      '/articles/%2e%2e//evil.com',
      `/topics/${topic}/..\\..\\\\evil.com`,
    ]) {
      const response = await get(target)
      expectSafe(response, target)
      expect(response.status, target).toBe(400)
      expect(response.header('location'), target).toBeNull()
    }
  })

  it('never redirects under a Host with a backslash (issue 14, item 1)', async () => {
    for (const host of ['127.0.0.1:8787\\\\evil.com', '127.0.0.1:8787\\evil.com']) {
      const response = await get(`/topics/${topic}`, [`Host: ${host}`])
      expectSafe(response, host)
      expect(response.status, host).toBe(400)
    }
  })

  it('redirects the folder without its slash to a path-only Location', async () => {
    const response = await get(`/topics/${topic}`)
    expect(response.status).toBe(301)
    expect(response.header('location')).toBe(`/topics/${topic}/`)
  })

  it('answers 400, not 500, to a Host that is not one valid host (issue 14, item 2)', async () => {
    for (const headers of [
      ['Host: a b'],
      ['Host: a<b>.example'],
      ['Host: x|y'],
      ['Host: a.example', 'Host: b.example'],
    ]) {
      const response = await get('/', headers)
      expect(response.status, headers.join(' ')).toBe(400)
      expect(response.body.toString()).toMatch(/^Bad request: the Host header/)
    }
  })

  it('answers OPTIONS * with 204 and Allow (issue 14, item 2)', async () => {
    const response = await get('*', [`Host: ${HOST}`], 'OPTIONS')
    expect(response.status).toBe(204)
    expect(response.header('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('opens no tunnel for CONNECT, and gives no 500 (issue 14, item 2)', async () => {
    const response = await get('example.com:443', ['Host: example.com:443'], 'CONNECT')
    expect(response.status).not.toBe(500)
    expect(response.body.length).toBe(0)
  })

  it('answers HEAD with the Content-Length of GET (RFC 9110 section 9.3.2, issue 14, item 5)', async () => {
    for (const target of ['/', '/rss.xml', '/feed.json', `/topics/${topic}/`, articles.at(-1)!]) {
      const full = await get(target)
      expect(full.status, target).toBe(200)
      const head = await get(target, [`Host: ${HOST}`], 'HEAD')
      expect(head.status, target).toBe(200)
      expect(head.header('content-length'), target).toBe(String(full.body.length))
    }
  })

  it('dates the static article pages and judges their preconditions (issue 14, item 5)', async () => {
    const page = articles.at(-1)!
    const full = await get(page)
    expect(full.status).toBe(200)
    expect(full.header('last-modified')).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} [\d:]{8} GMT$/,
    )
    const etag = full.header('etag')!
    expect(etag).toBeTruthy()
    const status = async (field: string) => (await get(page, [`Host: ${HOST}`, field])).status
    expect(await status('If-None-Match: *')).toBe(304)
    expect(await status(`If-None-Match: ${etag}`)).toBe(304)
    expect(await status('If-None-Match: W/*')).toBe(200)
    expect(await status(`If-Modified-Since: ${full.header('last-modified')}`)).toBe(304)
    expect(await status('If-Match: "nope"')).toBe(412)
    expect(await status(`If-Match: ${etag}`)).toBe(200)
    expect(await status('If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT')).toBe(412)
  })

  it('serves a GET that carries a 70 kB body in full (issue 14, item 6)', async () => {
    const expected = await get('/rss.xml')
    // Large enough that a reset after the answer would cut it (it did, before the content was read).
    expect(expected.body.length).toBeGreaterThan(150_000)
    const body = new Uint8Array(70 * 1024).fill(0x61)
    const response = await sendRaw(
      port,
      ['GET /rss.xml HTTP/1.1', `Host: ${HOST}`, `Content-Length: ${body.length}`].join('\r\n'),
      body,
    )
    expect(response.status).toBe(200)
    expect(response.body.length).toBe(expected.body.length)
    expect(response.body.equals(expected.body)).toBe(true)
  })

  it('answers 413 to request content over a megabyte, without reading it', async () => {
    const response = await sendRaw(
      port,
      ['GET /rss.xml HTTP/1.1', `Host: ${HOST}`, `Content-Length: ${4 * 1024 * 1024}`].join('\r\n'),
      new Uint8Array(1024),
    )
    expect(response.status).toBe(413)
    expect(response.body.toString()).toMatch(/^Content too large: /)
  })
})
