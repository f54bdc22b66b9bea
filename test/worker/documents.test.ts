import { zstdDecompressSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { replacePackEntry } from '../../src/build/prerender/pack-file.ts'
import { PACK_MAGIC, type PackDirectory, type PackedDocument } from '../../src/contract/pack.ts'
import { appOver, prerenderFixture, SITE_ENV } from '../support/app.ts'
import { compileFixture, markdownArticle, NOW } from '../support/fixtures.ts'

/**
 * Packed documents as a deploy holds them: each entry a Zstandard frame, which
 * the worker inflates for the one request; and a pack the build did not
 * write (another build's, or damaged) is a broken deploy, answered like a
 * missing asset: logged, and 404, never a 500.
 */

const content = compileFixture({
  'harbour.md': markdownArticle(
    { title: 'Harbour reopens at last', date: '2024-03-01' },
    'The harbour <em>reopened</em> on Monday. '.repeat(200),
  ),
})
const PAGE = '/articles/harbour-reopens-at-last/'

function packOf(files: Map<string, Uint8Array>) {
  const [path, bytes] = [...files].find(([name]) => name.startsWith('/_packs/articles/'))!
  const text = new TextDecoder().decode(bytes)
  const newline = text.indexOf('\n')
  const [magic, directoryLength] = text.slice(0, newline).split(' ')
  const start = newline + 1 + Number(directoryLength)
  const directory = JSON.parse(
    new TextDecoder().decode(bytes.subarray(newline + 1, start)),
  ) as PackDirectory
  const [offset, length, , modified] = Object.values(directory)[0] as PackedDocument
  return { path, bytes, magic, start, offset, length, modified }
}

describe('packed documents', () => {
  afterEach(() => vi.restoreAllMocks())

  it('are Zstandard frames in the pack, served inflated with the ETag of what is sent', async () => {
    const fixture = prerenderFixture(content, NOW)
    const pack = packOf(fixture.files)
    expect(pack.magic).toBe(PACK_MAGIC)
    const at = pack.start + pack.offset
    const member = pack.bytes.subarray(at, at + pack.length)
    const page = new TextDecoder().decode(zstdDecompressSync(member))
    expect(member.byteLength).toBeLessThan(page.length / 3)

    const response = await appOver(fixture, { now: NOW }).fetch(PAGE)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-encoding')).toBeNull()
    const served = await response.text()
    expect(served).toBe(page)
    expect(served).toContain('The harbour <em>reopened</em> on Monday.')
    const again = await appOver(fixture, { now: NOW }).fetch(PAGE, {
      headers: { 'If-None-Match': response.headers.get('etag')! },
    })
    expect(again.status).toBe(304)
  })

  /** The article page served with its pack replaced by `damage`'s bytes, and what was logged. */
  async function servedWithPack(damage: (pack: ReturnType<typeof packOf>) => Uint8Array) {
    const fixture = prerenderFixture(content, NOW)
    const pack = packOf(fixture.files)
    fixture.files.set(pack.path, damage(pack))
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await appOver(fixture, { now: NOW }).fetch(PAGE)
    return { status: response.status, logged: log.mock.calls.flat().join(' ') }
  }

  it('answer 404 and log when the pack is another build’s', async () => {
    const served = await servedWithPack((pack) =>
      new TextEncoder().encode(
        new TextDecoder().decode(pack.bytes.subarray(0, pack.start)).replace(PACK_MAGIC, 'EFPACK2'),
      ),
    )
    expect(served.status).toBe(404)
    expect(served.logged).toMatch(/not a pack of this worker.*Rebuild and deploy/)
  })

  it('answer 404 and log when the pack is cut short within its directory', async () => {
    const served = await servedWithPack((pack) => pack.bytes.subarray(0, pack.start - 5))
    expect(served.status).toBe(404)
    expect(served.logged).toMatch(/not a pack of this worker.*Rebuild and deploy/)
  })

  it('answer 404 and log when the pack ends inside an entry', async () => {
    const served = await servedWithPack((pack) =>
      pack.bytes.subarray(0, pack.start + pack.offset + Math.floor(pack.length / 2)),
    )
    expect(served.status).toBe(404)
    expect(served.logged).toMatch(/not a Zstandard frame.*Rebuild and deploy/)
  })

  it('answer 404 and log when an entry is not a Zstandard frame', async () => {
    const served = await servedWithPack((pack) => {
      const damaged = pack.bytes.slice()
      damaged.fill(0x41, pack.start + pack.offset, pack.start + pack.offset + 16)
      return damaged
    })
    expect(served.status).toBe(404)
    expect(served.logged).toMatch(/not a Zstandard frame.*Rebuild and deploy/)
  })
})

describe('article packs in the preview', () => {
  /**
   * The page through one worker before and after the preview's fast path
   * makes its pack entry again (src/build/preview/quick-article-page.ts).
   */
  async function servedAcrossEdit(preview: boolean) {
    const fixture = prerenderFixture(content, NOW, SITE_ENV, { preview })
    const worker = appOver(fixture, { now: NOW })
    const first = await worker.fetch(PAGE)
    const before = await first.text()
    const pack = packOf(fixture.files)
    const edited = before.replace('reopened</em> on Monday', 'reopened</em> on Tuesday')
    const replaced = replacePackEntry(pack.bytes, 'harbour-reopens-at-last', edited, pack.modified)
    if (!(replaced instanceof Uint8Array)) throw new Error('the entry was not made again')
    fixture.files.set(pack.path, replaced)
    const etag = first.headers.get('etag')
    const after = await worker.fetch(PAGE)
    const revalidated = await worker.fetch(PAGE, { headers: { 'If-None-Match': etag ?? '' } })
    return {
      before,
      etag,
      after: await after.text(),
      afterEtag: after.headers.get('etag'),
      revalidated: revalidated.status,
    }
  }

  it('are read at every request, so a saved article shows at once, with a new ETag', async () => {
    const served = await servedAcrossEdit(true)
    expect(served.before).toContain('reopened</em> on Monday')
    expect(served.after).toContain('reopened</em> on Tuesday')
    expect(served.afterEtag).not.toBe(served.etag)
    expect(served.revalidated).toBe(200)
  })

  it('are kept by a deployed worker, whose packs never change under it', async () => {
    const served = await servedAcrossEdit(false)
    expect(served.after).toBe(served.before)
    expect(served.afterEtag).toBe(served.etag)
    expect(served.revalidated).toBe(304)
  })
})
