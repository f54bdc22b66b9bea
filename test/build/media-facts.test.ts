import { statSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readMediaFile } from '../../src/build/content/article-images.ts'
import { type FileStamp, fileStamp } from '../../src/build/file-stamp.ts'
import { MediaFactsFile, readMediaFacts } from '../../src/build/media-facts.ts'
import { JPEG_40x30, PNG_24x16 } from '../support/images.ts'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'media-facts-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

/**
 * The JPEG with `segments` APP2 segments of 60,000 bytes each before its
 * frame header, where a camera puts its EXIF and colour profile: its size
 * is that far into the file.
 */
function jpegWithSegments(segments: number): Uint8Array {
  const length = 60_000
  const segment = new Uint8Array(2 + length)
  segment.set([0xff, 0xe2, length >> 8, length & 0xff])
  const parts = [
    JPEG_40x30.subarray(0, 2),
    ...Array(segments).fill(segment),
    JPEG_40x30.subarray(2),
  ]
  return Uint8Array.from(Buffer.concat(parts))
}

async function place(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(folder, name)
  await writeFile(path, bytes)
  return path
}

const stampOf = (path: string): FileStamp => fileStamp(statSync(path, { bigint: true }))

/** A stamp a few seconds old: past the tick in which a change leaves the stamp as it was. */
function settled(stamp: FileStamp): FileStamp {
  const earlier = (ns: string) => String(BigInt(ns) - 10_000_000_000n)
  return { ...stamp, mtimeNs: earlier(stamp.mtimeNs), ctimeNs: earlier(stamp.ctimeNs) }
}

describe('the facts of an image file, read from its start', () => {
  it('are those of the whole file, however far into it the size is', async () => {
    for (const segments of [0, 2, 5]) {
      const bytes = jpegWithSegments(segments)
      const facts = readMediaFacts(await place(`photo-${segments}.jpg`, bytes))
      expect(facts).toEqual(readMediaFile(bytes))
      expect(facts).toEqual({ type: 'image/jpeg', length: bytes.byteLength, width: 40, height: 30 })
    }
    expect(readMediaFacts(await place('chart.png', PNG_24x16))).toEqual({
      type: 'image/png',
      length: PNG_24x16.byteLength,
      width: 24,
      height: 16,
    })
  })

  it('say why a file is no image readers show', async () => {
    expect(
      readMediaFacts(await place('notes.jpg', new TextEncoder().encode('not a picture'))),
    ).toEqual({ reason: 'is not an image file' })
    // A large file that is no picture (a video, say) is judged by its start.
    const video = new Uint8Array(3 * 1024 * 1024).fill(7)
    expect(readMediaFacts(await place('clip.mp4', video))).toEqual({
      reason: 'is not an image file',
    })
    // A JPEG cut before its size: not an image, once the whole file is read.
    const cut = jpegWithSegments(5).subarray(0, 200_000)
    expect(readMediaFacts(await place('cut.jpg', cut))).toHaveProperty('reason')
  })
})

describe('the facts kept between builds', () => {
  it('are taken by the file’s stamp, without reading it', async () => {
    const cache = join(folder, 'cache', 'media-facts')
    const path = await place('photo.jpg', JPEG_40x30)
    const stamp = settled(stampOf(path))
    const first = new MediaFactsFile(cache)
    expect(first.of(path, stamp)).toEqual(readMediaFile(JPEG_40x30))
    first.save()
    // The file is now another picture; told it is unchanged, the kept facts answer.
    await writeFile(path, PNG_24x16)
    expect(new MediaFactsFile(cache).of(path, stamp)).toEqual(readMediaFile(JPEG_40x30))
    // Its real stamp differs: it is read again.
    expect(new MediaFactsFile(cache).of(path, settled(stampOf(path)))).toEqual(
      readMediaFile(PNG_24x16),
    )
  })

  it('are read again when the stamp was too fresh to tell, or the kept file is not whole', async () => {
    const cache = join(folder, 'cache', 'media-facts')
    const path = await place('photo.jpg', JPEG_40x30)
    // Stamped within the tick in which it was written: a change now may keep that stamp.
    const fresh = stampOf(path)
    const kept = new MediaFactsFile(cache)
    kept.of(path, fresh)
    kept.save()
    await writeFile(path, PNG_24x16)
    expect(new MediaFactsFile(cache).of(path, fresh)).toEqual(readMediaFile(PNG_24x16))

    const stamp = settled(stampOf(path))
    const again = new MediaFactsFile(cache)
    again.of(path, stamp)
    again.save()
    // The kept facts edited by hand: the file's hash no longer matches, so nothing is taken.
    const text = await readFile(cache, 'utf8')
    await writeFile(cache, text.replace('"width":24', '"width":2400'))
    expect(new MediaFactsFile(cache).of(path, stamp)).toEqual(readMediaFile(PNG_24x16))
    await writeFile(cache, text.slice(0, 40))
    expect(new MediaFactsFile(cache).of(path, stamp)).toEqual(readMediaFile(PNG_24x16))
  })

  it('name only the images the last build asked about', async () => {
    const cache = join(folder, 'cache', 'media-facts')
    const a = await place('a.jpg', JPEG_40x30)
    const b = await place('b.png', PNG_24x16)
    const both = new MediaFactsFile(cache)
    both.of(a, settled(stampOf(a)))
    both.of(b, settled(stampOf(b)))
    both.save()
    const one = new MediaFactsFile(cache)
    one.of(b, settled(stampOf(b)))
    one.save()
    const text = await readFile(cache, 'utf8')
    expect(text).toContain(b)
    expect(text).not.toContain(a)
    // Asked the same again: the file holds that already and is left as it is.
    const before = statSync(cache)
    const same = new MediaFactsFile(cache)
    same.of(b, settled(stampOf(b)))
    same.save()
    expect(statSync(cache).mtimeMs).toBe(before.mtimeMs)
    expect(await readFile(cache, 'utf8')).toBe(text)
  })
})
