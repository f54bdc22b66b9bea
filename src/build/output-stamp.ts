import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import type { CompiledContent } from '../contract/compiled.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { writeFileAtomically } from './atomic-file.ts'
import { copiedFileKey, type PublishedFile } from './published-file.ts'

/**
 * Whether the last build's output is still this build's: a key that hashes
 * everything the prerender and the files it writes depend on, stored next to
 * the output once it is whole. A build whose key matches leaves the output as
 * it is, so a build with nothing changed (a second `npm run build:content`,
 * the build `wrangler deploy` runs first, a restarted preview) costs the
 * compile from the cache and no more.
 *
 * `now` matters only through which articles are still scheduled: the output
 * of a build holds a view per due time (see prerender-site.ts), so it stays
 * right after one passes, and is rebuilt once the set of scheduled articles
 * differs from the one it was made for.
 */

/** Changes when the stamp's layout or what the key covers changes. */
const FORMAT = 'output-stamp 1'

export interface OutputInputs {
  /** Version of the build's code (compile-code-version.ts codeOf, from the build's command). */
  code: string
  content: CompiledContent
  site: SiteConfig
  /** The assets' `_headers` text, which depends on the environment (live reload). */
  headers: string
  /** Other files published beside the prerendered ones, by URL path. */
  files: ReadonlyMap<string, PublishedFile>
  now: number
}

/** The key of a build's output. */
export function outputKey(inputs: OutputInputs): string {
  const hash = createHash('sha256')
  const part = (value: string | Uint8Array) => hash.update(value).update('\n')
  part(FORMAT)
  part(inputs.code)
  part(inputs.content.version)
  part(JSON.stringify(inputs.site))
  part(inputs.headers)
  for (const article of inputs.content.articles)
    if (Date.parse(article.published) > inputs.now) part(`scheduled ${article.id}`)
  for (const [path, file] of [...inputs.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    part(`file ${path}`)
    // A seeds file by its stamp: hashing the images' bytes read them all again every build.
    part(
      file instanceof Uint8Array
        ? createHash('sha256').update(file).digest('hex')
        : copiedFileKey(file),
    )
  }
  return hash.digest('base64url')
}

/** A stamp: the key, and what the build said about the output it stamps. */
export interface OutputStamp<Summary> {
  key: string
  summary: Summary
}

/** The stamp at `path`, if there is a readable one of this format. */
export async function readStamp<Summary>(path: string): Promise<OutputStamp<Summary> | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    const stamp = JSON.parse(text) as { format?: unknown } & OutputStamp<Summary>
    return stamp.format === FORMAT && typeof stamp.key === 'string' ? stamp : undefined
  } catch {
    return undefined
  }
}

/** Stamps the output, once it is whole. */
export async function writeStamp<Summary>(
  path: string,
  stamp: OutputStamp<Summary>,
): Promise<void> {
  await writeFileAtomically(path, JSON.stringify({ format: FORMAT, ...stamp }))
}

/** Takes the stamp away before the output changes, so a build stopped half way is not trusted. */
export async function removeStamp(path: string): Promise<void> {
  await rm(path, { force: true })
}
