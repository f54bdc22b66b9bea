import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/lib/bench-corpus.ts'
import { buildWorker, serveWorker, type WorkerdServer } from '../../scripts/lib/workerd-server.ts'
import { freePort, type RawResponse, sendRaw } from '../support/raw-http.ts'

/**
 * The reproductions of issue 14 as a client sends them, byte for byte, to the
 * built worker in workerd (no fetch API in between to normalise them): the
 * open redirect, the Hosts and targets that gave bare 500s, CONNECT.
 */

let work: string
let server: WorkerdServer
let port: number
let topic: string

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
  await writeCorpus(join(work, 'corpus'), 30, 3)
  const worker = await buildWorker({ outDir: join(work, 'build'), seeds: join(work, 'corpus') })
  port = await freePort()
  server = await serveWorker(worker, { port })
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
})
