import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parse } from 'smol-toml'

/**
 * The configuration `npm run dev` gives `wrangler dev`: the project's
 * wrangler.toml without its [build] section, because the dev script runs the
 * content builds itself (scripts/lib/dev-rebuilds.ts). With a [build]
 * command, wrangler holds every request while the command runs, and bundles
 * the worker only after it; without one, it serves throughout and bundles
 * again as soon as a build rewrites the site index the worker imports.
 *
 * Written under .wrangler/ (wrangler's own, git-ignored folder), so its
 * paths are made absolute, and the project's .dev.vars and .env are copied
 * beside it: wrangler reads them from the configuration's folder.
 */

/** Writes the preview's configuration for the project at `root`; returns its path. */
export async function writeDevConfig(root: string): Promise<string> {
  const config = parse(await readFile(join(root, 'wrangler.toml'), 'utf8')) as Record<
    string,
    unknown
  > & { main?: string; assets?: { directory?: string } }
  delete config.build
  if (config.main) config.main = resolve(root, config.main)
  if (config.assets?.directory) config.assets.directory = resolve(root, config.assets.directory)
  const folder = join(root, '.wrangler', 'dev-config')
  await mkdir(folder, { recursive: true })
  const path = join(folder, 'wrangler.json')
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`)
  for (const name of ['.dev.vars', '.env']) {
    const copy = join(folder, name)
    await copyFile(join(root, name), copy).catch(() => rm(copy, { force: true }))
  }
  return path
}
