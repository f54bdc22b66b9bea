/**
 * The icon used when the seeds folder has none: a feed symbol. A module of
 * its own so that a build with nothing to do can stamp it without loading
 * the icon code, which loads sharp.
 */
export const DEFAULT_SITE_ICON = new URL('./default-site-icon.svg', import.meta.url).pathname
