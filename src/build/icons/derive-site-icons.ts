import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import type { Problem } from '../../contract/problem.ts'
import {
  FAVICON_ICO_SIZES,
  FAVICON_PATH,
  LOGO,
  PNG_ICON_SIZES,
  pngIconPath,
  TOUCH_ICON,
} from '../../site/icons.ts'
import { DEFAULT_SITE_ICON } from './default-site-icon.ts'
import { encodeIco } from './encode-ico.ts'

/**
 * The site icons, derived at build time from one square source image: the
 * site owner's `site-icon.*` at the top of the seeds folder, or the default
 * that ships with the build. sharp (libvips) does the resizing.
 */

/** File names the owner may give the source, one of them; the first found wins no tie: two is an error. */
export const SITE_ICON_FILES = [
  'site-icon.png',
  'site-icon.jpg',
  'site-icon.jpeg',
  'site-icon.webp',
  'site-icon.svg',
] as const

/** A smaller source is enlarged, and looks it on a 512 px tile. */
const RECOMMENDED_SIZE = 512

export interface IconSource {
  /** The file as messages name it (`seeds/site-icon.png`). */
  file: string
  bytes: Uint8Array
}

/** The icon source of a seeds folder, `shown` as messages name the folder; a Problem when it has two. */
export async function findSiteIcon(folder: string, shown: string): Promise<IconSource | Problem> {
  const names = new Set(await readdir(folder).catch(() => []))
  const found = SITE_ICON_FILES.filter((name) => names.has(name))
  if (found.length > 1)
    return {
      file: join(shown, found[1]!),
      field: 'site icon',
      message: `is a second site icon beside ${found[0]}`,
      hint: 'Keep one site-icon file at the top of the seeds folder',
    }
  if (found.length === 1) {
    const file = join(shown, found[0]!)
    return { file, bytes: await readFile(join(folder, found[0]!)) }
  }
  return { file: 'the default site icon', bytes: await readFile(DEFAULT_SITE_ICON) }
}

/** What the icon build made: files by URL path, and problems (a warning still publishes). */
export interface DerivedIcons {
  files: Map<string, Uint8Array>
  problems: Problem[]
}

function png(input: Sharp): Promise<Uint8Array> {
  // No metadata, fixed compression: the same source always gives the same bytes.
  return input.png({ compressionLevel: 9 }).toBuffer()
}

/** Derives every icon of ICON_PATHS from the source; an unreadable or oblong source is a Problem. */
export async function deriveSiteIcons(source: IconSource): Promise<DerivedIcons> {
  const problem = (message: string, hint: string, severity?: 'warning'): Problem => ({
    file: source.file,
    field: 'site icon',
    message,
    hint,
    ...(severity ? { severity } : {}),
  })
  // SVG is rasterised at a density that gives at least the largest size.
  const open = () => sharp(source.bytes, { density: 300 })
  let width: number | undefined
  let height: number | undefined
  try {
    ;({ width, height } = await open().metadata())
  } catch (error) {
    return {
      files: new Map(),
      problems: [
        problem(
          `cannot be read as an image (${(error as Error).message})`,
          'Save it as PNG, JPEG, WebP or SVG',
        ),
      ],
    }
  }
  if (!width || !height || width !== height)
    return {
      files: new Map(),
      problems: [
        problem(
          `is ${width}×${height} pixels, not square`,
          `Crop it to a square, ${RECOMMENDED_SIZE}×${RECOMMENDED_SIZE} or larger`,
        ),
      ],
    }
  const problems: Problem[] = []
  const isSvg = source.file.endsWith('.svg') || source.file === 'the default site icon'
  if (!isSvg && width < RECOMMENDED_SIZE)
    problems.push(
      problem(
        `is ${width}×${height} pixels and is enlarged for the ${RECOMMENDED_SIZE} px icon`,
        `Use a source of ${RECOMMENDED_SIZE}×${RECOMMENDED_SIZE} or larger`,
        'warning',
      ),
    )
  const square = (size: number) => open().resize(size, size, { fit: 'fill' })
  const files = new Map<string, Uint8Array>()
  for (const size of PNG_ICON_SIZES) files.set(pngIconPath(size), await png(square(size)))
  // iOS shows transparent parts of a touch icon as black: they are made white.
  files.set(TOUCH_ICON.path, await png(square(TOUCH_ICON.size).flatten({ background: '#ffffff' })))
  const side = (LOGO.width - LOGO.height) / 2
  files.set(
    LOGO.path,
    await png(
      sharp(await png(square(LOGO.height))).extend({
        left: side,
        right: side,
        background: { r: 0, g: 0, b: 0, alpha: 0 },
      }),
    ),
  )
  const ico = await Promise.all(
    FAVICON_ICO_SIZES.map(async (size) => ({ size, png: await png(square(size)) })),
  )
  files.set(FAVICON_PATH, encodeIco(ico))
  return { files, problems }
}
