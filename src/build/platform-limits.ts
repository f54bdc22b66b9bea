/**
 * The Cloudflare Workers limits a build's output must fit
 * (developers.cloudflare.com/workers/platform/limits/ and
 * developers.cloudflare.com/workers/static-assets/#limits): `wrangler deploy`
 * refuses a version past them, after the whole build. The build says so first,
 * naming what to change; the benchmarks measure against the same numbers.
 */
export const WORKERS_LIMITS = {
  /** Static asset files in one version, on the Workers Free plan. */
  assetFiles: 20_000,
  /** Static asset files in one version, on a paid plan. */
  assetFilesPaid: 100_000,
  /** Bytes of one static asset file. */
  assetFileBytes: 25 * 1024 * 1024,
} as const

/**
 * What a build whose assets folder holds `files` files, `pictures` of them
 * the articles' pictures, has to say about their number: nothing while a
 * Free plan version holds them all.
 */
export function assetCountWarning(files: number, pictures: number): string | undefined {
  if (files <= WORKERS_LIMITS.assetFiles) return undefined
  const count = (n: number) => n.toLocaleString('en-US')
  const plan =
    files > WORKERS_LIMITS.assetFilesPaid
      ? `and the ${count(WORKERS_LIMITS.assetFilesPaid)} of a paid plan too`
      : `(a paid plan allows ${count(WORKERS_LIMITS.assetFilesPaid)})`
  return `warning: the static assets are ${count(files)} files, ${count(pictures)} of them the articles' pictures: more than the ${count(WORKERS_LIMITS.assetFiles)} files a Worker version may upload on the Workers Free plan ${plan}, so \`wrangler deploy\` would refuse them. Link pictures from another server by their https URLs (they are linked as they are), or deploy on a plan that allows as many`
}
