import type { ChildProcess } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnDevPreview } from '../../scripts/lib/dev-preview.ts'
import { baseUrl, cspViolations, launchBrowser, openPage } from './browser.ts'

/**
 * `npm run dev` as an author runs it, in a scratch copy of the project (its
 * own seeds/ and generated/, so nothing here touches the working tree): an
 * article page open in Chromium changes by itself after the article is
 * edited, with no CSP violation, because the preview allows exactly
 * wrangler's live-reload script. The deployed policy, which the suite's own
 * server (no `npm run dev`) sends, stays the strict one.
 * LIVE_RELOAD_PORT picks the port (default 8762) and the next one is the
 * inspector's, on 127.0.0.1 only.
 */

const ROOT = new URL('../..', import.meta.url).pathname
const PORT = Number(process.env.LIVE_RELOAD_PORT ?? 8762)
const ORIGIN = `http://127.0.0.1:${PORT}`
const ARTICLE = '000_3aae873de51ebb2d.txt'
const PAGE =
  '/articles/south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments/'
/** A sentence of the body; the title would change the page's address along with the slug. */
const SENTENCE = 'Authorities in Seoul are also considering'
const EDITED = 'Edited while the page was open: authorities in Seoul are also considering'

let scratch: string
let dev: ChildProcess
let browser: Browser
const output: string[] = []

async function status(path: string): Promise<number> {
  return fetch(`${ORIGIN}${path}`, { signal: AbortSignal.timeout(5_000) })
    .then(async (response) => {
      await response.arrayBuffer()
      return response.status
    })
    .catch(() => 0)
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'efp-live-reload-'))
  const skip = new Set([
    'node_modules',
    '.git',
    'generated',
    'test-output',
    'dist',
    '.tools',
    '.wrangler',
    'seeds',
  ])
  await cp(ROOT, scratch, {
    recursive: true,
    filter: (source) => !skip.has(source.slice(ROOT.length).split('/')[0] ?? ''),
  })
  await symlink(join(ROOT, 'node_modules'), join(scratch, 'node_modules'))
  await cp(join(ROOT, 'test/fixtures/site'), join(scratch, 'seeds'), { recursive: true })
  dev = spawnDevPreview(scratch, { port: PORT, inspectorPort: PORT + 1 })
  dev.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  dev.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline && (await status(PAGE)) !== 200) {
    if (dev.exitCode !== null) break
    await new Promise((done) => setTimeout(done, 500))
  }
  if ((await status(PAGE)) !== 200) {
    throw new Error(`[e2e] npm run dev did not serve ${ORIGIN}${PAGE}:\n${output.join('')}`)
  }
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  if (dev?.pid !== undefined && dev.exitCode === null) {
    const exited = new Promise((done) => dev.once('exit', done))
    // Its own process group: npm, the dev script, wrangler and workerd, nothing else.
    process.kill(-dev.pid, 'SIGTERM')
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))])
    if (dev.exitCode === null) process.kill(-dev.pid, 'SIGKILL')
  }
  if (scratch) await rm(scratch, { recursive: true, force: true })
}, 30_000)

describe('live reload under npm run dev', () => {
  it('says nothing about stale worker types', () => {
    expect(output.join('')).not.toContain('Your types might be out of date')
  })

  it('changes the open page after its article is edited, with no CSP violation', async () => {
    const opened = await openPage(browser)
    const { page } = opened
    const response = await page.goto(`${ORIGIN}${PAGE}`)
    const policy = response?.headers()['content-security-policy'] ?? ''
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='/)
    expect(policy).toContain("connect-src 'self'")
    expect(policy).not.toContain('unsafe')
    await expect.poll(() => page.locator('h1').textContent()).toContain('South Korea May Send')
    // Give the live-reload script time to connect its WebSocket before the edit.
    await page.waitForTimeout(1_000)
    const file = join(scratch, 'seeds', ARTICLE)
    const text = await readFile(file, 'utf8')
    expect(text).toContain(SENTENCE)
    await writeFile(file, text.replace(SENTENCE, EDITED))
    const reloaded = await page
      .waitForFunction((edited) => document.body.textContent?.includes(edited), EDITED, {
        timeout: 60_000,
        polling: 250,
      })
      .then(
        () => true,
        () => false,
      )
    expect(cspViolations(opened)).toEqual([])
    expect(
      reloaded,
      `the page did not change; the browser said:\n${opened.console.join('\n')}`,
    ).toBe(true)
    await page.context().close()
  }, 90_000)
})

describe('the deployed policy', () => {
  it('stays strict on a worker that npm run dev did not start', async () => {
    const opened = await openPage(browser)
    const response = await opened.page.goto(`${baseUrl()}/`)
    const policy = response?.headers()['content-security-policy'] ?? ''
    // The worker's own policy (test/worker/http/live-reload.test.ts compares it to the constant).
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self';")
    expect(policy).not.toContain('sha256-')
    expect(policy).not.toContain('connect-src')
    await opened.page.context().close()
  })
})
