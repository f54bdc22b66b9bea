import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  deriveSiteIcons,
  findSiteIcon,
  type IconSource,
} from '../../../src/build/icons/derive-site-icons.ts'
import type { Problem } from '../../../src/contract/problem.ts'
import {
  FAVICON_ICO_SIZES,
  FAVICON_PATH,
  ICON_PATHS,
  LOGO,
  PNG_ICON_SIZES,
  pngIconPath,
  TOUCH_ICON,
} from '../../../src/site/icons.ts'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'site-icons-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** A PNG whose top half is transparent and bottom half blue, so flattening shows. */
async function squarePng(size: number, height = size): Promise<Buffer> {
  const half = Math.floor(height / 2)
  const blue = await sharp({
    create: {
      width: size,
      height: height - half,
      channels: 4,
      background: { r: 20, g: 90, b: 200, alpha: 1 },
    },
  })
    .png()
    .toBuffer()
  return sharp(blue)
    .extend({ top: half, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer()
}

async function pngInfo(bytes: Uint8Array) {
  const { format, width, height, hasAlpha } = await sharp(bytes).metadata()
  return { format, width, height, hasAlpha }
}

/** The images inside a .ico, read from its directory (ICONDIR and ICONDIRENTRY). */
function icoImages(bytes: Uint8Array): { width: number; height: number; png: Uint8Array }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  expect(view.getUint16(0, true)).toBe(0)
  expect(view.getUint16(2, true)).toBe(1)
  return Array.from({ length: view.getUint16(4, true) }, (_, index) => {
    const entry = 6 + 16 * index
    const length = view.getUint32(entry + 8, true)
    const offset = view.getUint32(entry + 12, true)
    return {
      width: view.getUint8(entry) || 256,
      height: view.getUint8(entry + 1) || 256,
      png: bytes.slice(offset, offset + length),
    }
  })
}

async function derive(source: IconSource) {
  const { files, problems } = await deriveSiteIcons(source)
  return { files, problems }
}

describe('site icons', () => {
  it('derive every size from the default icon when the seeds folder has none', async () => {
    const source = await findSiteIcon(folder, 'seeds')
    expect(source).toMatchObject({ file: 'the default site icon' })
    const { files, problems } = await derive(source as IconSource)
    expect(problems).toEqual([])
    expect([...files.keys()].sort()).toEqual([...ICON_PATHS].sort())
    for (const size of PNG_ICON_SIZES) {
      expect(await pngInfo(files.get(pngIconPath(size))!)).toEqual({
        format: 'png',
        width: size,
        height: size,
        hasAlpha: true,
      })
    }
  })

  it("derive the owner's square PNG into a favicon.ico, a touch icon, PNG sizes and a 2:1 logo", async () => {
    await writeFile(join(folder, 'site-icon.png'), await squarePng(600))
    const source = (await findSiteIcon(folder, 'seeds')) as IconSource
    expect(source.file).toBe('seeds/site-icon.png')
    const { files, problems } = await derive(source)
    expect(problems).toEqual([])

    const ico = files.get(FAVICON_PATH)!
    const images = icoImages(ico)
    expect(images.map((image) => [image.width, image.height])).toEqual(
      FAVICON_ICO_SIZES.map((size) => [size, size]),
    )
    for (const image of images)
      expect(await pngInfo(image.png)).toMatchObject({
        format: 'png',
        width: image.width,
        height: image.height,
      })

    // iOS shows transparency as black, so the touch icon has none: its top half is white.
    const touch = files.get(TOUCH_ICON.path)!
    expect(await pngInfo(touch)).toEqual({
      format: 'png',
      width: 180,
      height: 180,
      hasAlpha: false,
    })
    const { data } = await sharp(touch).raw().toBuffer({ resolveWithObject: true })
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255])

    const logo = files.get(LOGO.path)!
    expect(await pngInfo(logo)).toMatchObject({ format: 'png', width: 512, height: 256 })
    // The icon sits in the middle; the sides are transparent.
    const raw = await sharp(logo).ensureAlpha().raw().toBuffer()
    const alphaAt = (x: number, y: number) => raw[(y * 512 + x) * 4 + 3]
    expect(alphaAt(10, 200)).toBe(0)
    expect(alphaAt(256, 200)).toBe(255)
  })

  it('give the same bytes for the same source', async () => {
    const source = (await findSiteIcon(folder, 'seeds')) as IconSource
    const first = await derive(source)
    const second = await derive(source)
    for (const [path, bytes] of first.files) expect(second.files.get(path), path).toEqual(bytes)
  })

  it('refuse an oblong or unreadable source, and a second source, naming the file', async () => {
    const oblong = await derive({ file: 'seeds/site-icon.png', bytes: await squarePng(600, 400) })
    expect(oblong.files.size).toBe(0)
    expect(oblong.problems).toEqual([
      {
        file: 'seeds/site-icon.png',
        field: 'site icon',
        message: 'is 600×400 pixels, not square',
        hint: 'Crop it to a square, 512×512 or larger',
      },
    ])
    const broken = await derive({
      file: 'seeds/site-icon.jpg',
      bytes: new TextEncoder().encode('not a picture'),
    })
    expect(broken.problems[0]).toMatchObject({
      file: 'seeds/site-icon.jpg',
      message: expect.stringMatching(/^cannot be read as an image/),
    })

    await writeFile(join(folder, 'site-icon.png'), await squarePng(600))
    await writeFile(join(folder, 'site-icon.svg'), '<svg/>')
    expect(((await findSiteIcon(folder, 'seeds')) as Problem).message).toBe(
      'is a second site icon beside site-icon.png',
    )
  })

  it('warn, and still publish, when the source is smaller than the largest icon', async () => {
    const { files, problems } = await derive({
      file: 'seeds/site-icon.png',
      bytes: await squarePng(128),
    })
    expect(files.size).toBe(ICON_PATHS.length)
    expect(problems).toMatchObject([
      { severity: 'warning', message: 'is 128×128 pixels and is enlarged for the 512 px icon' },
    ])
  })
})
