import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The hash-source (`sha256-…`) of the live-reload script that the installed
 * wrangler's dev proxy appends to HTML responses (wrangler-dist/ProxyWorker.js,
 * `liveReloadScript`), so that `npm run dev` can allow exactly that script and
 * nothing else; see src/worker/http/live-reload.ts. Read from the installed
 * wrangler, so an upgrade that changes the script changes the hash with it.
 */
export async function readLiveReloadScriptHash(): Promise<{ hash: string } | { problem: string }> {
  const file = join(
    dirname(createRequire(import.meta.url).resolve('wrangler')),
    '../wrangler-dist/ProxyWorker.js',
  )
  const source = await readFile(file, 'utf8').catch(() => '')
  const template = /\bliveReloadScript = `([^`]*)`/.exec(source)?.[1]
  if (template === undefined) {
    return { problem: `${file}: the live-reload script was not found in wrangler's dev proxy` }
  }
  // The template interpolates the proxy's own string constants, like `${LIVE_RELOAD_PATHNAME}`.
  let missing = ''
  const html = template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = new RegExp(`\\b${name} = "([^"]*)"`).exec(source)?.[1]
    if (value === undefined) missing = name
    return value ?? ''
  })
  const script = /<script\b[^>]*>([\s\S]*)<\/script>/.exec(html)?.[1]
  if (missing || script === undefined) {
    return {
      problem: `${file}: the live-reload script could not be read (${missing || 'no <script>'})`,
    }
  }
  // CSP hashes the script element's text as UTF-8 (CSP Level 3, section 8.4).
  return { hash: `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}` }
}
