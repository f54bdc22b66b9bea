/**
 * The site icons: where each derived file is published and at what size. The
 * build derives every one of them from one square source image (see
 * src/build/icons/derive-site-icons.ts); pages and feeds name them from here,
 * so the two cannot disagree.
 */

/** Sizes inside /favicon.ico: what browsers pick from for tabs, bookmarks and the taskbar. */
export const FAVICON_ICO_SIZES = [16, 32, 48] as const

/** Square PNG sizes published under /icons/. */
export const PNG_ICON_SIZES = [64, 144, 192, 512] as const

export type PngIconSize = (typeof PNG_ICON_SIZES)[number]

export const FAVICON_PATH = '/favicon.ico'

/** iOS and iPadOS look for this path even without a link; 180 px is their largest size. */
export const TOUCH_ICON = { path: '/apple-touch-icon.png', size: 180 } as const

/** RFC 4287 section 4.2.8: an Atom logo SHOULD be twice as wide as it is high. */
export const LOGO = { path: '/icons/logo.png', width: 512, height: 256 } as const

export function pngIconPath(size: PngIconSize): string {
  return `/icons/icon-${size}.png`
}

/** Every path the icon build writes, for checks and headers. */
export const ICON_PATHS: readonly string[] = [
  FAVICON_PATH,
  TOUCH_ICON.path,
  LOGO.path,
  ...PNG_ICON_SIZES.map(pngIconPath),
]

/** Absolute URLs of the icons each feed format names. */
export interface FeedIcons {
  /** RSS 2.0 `<image>`: GIF, JPEG or PNG at most 144 px wide (RSS 2.0, "<image> sub-element"). */
  rssImage: { url: string; width: number; height: number }
  /** Atom `<icon>` (RFC 4287 section 4.2.5): small and square. */
  atomIcon: string
  /** Atom `<logo>` (section 4.2.8): 2:1. */
  atomLogo: string
  /** JSON Feed 1.1 `icon`: square and large, "such as 512 x 512". */
  jsonIcon: string
  /** JSON Feed 1.1 `favicon`: square and small, "such as 64 x 64". */
  jsonFavicon: string
}

export function feedIcons(origin: string): FeedIcons {
  return {
    rssImage: { url: `${origin}${pngIconPath(144)}`, width: 144, height: 144 },
    atomIcon: `${origin}${pngIconPath(192)}`,
    atomLogo: `${origin}${LOGO.path}`,
    jsonIcon: `${origin}${pngIconPath(512)}`,
    jsonFavicon: `${origin}${pngIconPath(64)}`,
  }
}
