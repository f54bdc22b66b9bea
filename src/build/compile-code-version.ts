import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The version of a part of the build's code, for the keys of what the build
 * keeps between runs: a hash of every module the part runs (found by
 * following the imports of its entry module), of the installed version of
 * every package they import, and of package-lock.json, which pins the
 * packages those depend on. Nobody has to remember to bump it: editing the
 * renderer, the schema or a dependency changes it, and whatever was kept
 * under the old version is made again.
 *
 * The per-file phase has one (compileCode: every cached article compiles
 * again); so does the whole build, from its command's module (codeOf: the
 * check that the output is up to date, and the kept item fragments).
 */

/** The per-file phase: compiling one article. */
const COMPILE_ENTRY = fileURLToPath(new URL('./content/compile-content.ts', import.meta.url).href)

/**
 * Every static import and export-from specifier of a module's text, every
 * module it imports as it runs (a dynamic import of a literal specifier: the
 * build loads most of its code once it has something to do), and every
 * module a thread is started from (a `new URL` of a `.ts` path next to the
 * module's own URL): a thread's module is code the build runs as much as an
 * import is.
 */
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\bnew URL\(\s*['"](\.{1,2}\/[^'"]+\.ts)['"]\s*,\s*import\.meta\.url\s*\)/g

/** The package a bare specifier names: `marked`, `@scope/name`, `js-yaml/dist/x` → `js-yaml`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/** The nearest folder at or above `from` that holds `name`, or undefined. */
function findUp(from: string, name: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, name))) return folder
    if (dirname(folder) === folder) return undefined
  }
}

/** The nearest `node_modules/<name>/package.json` above `from`, or undefined. */
function findPackageJson(from: string, name: string): string | undefined {
  const folder = findUp(from, join('node_modules', name, 'package.json'))
  return folder === undefined ? undefined : join(folder, 'node_modules', name, 'package.json')
}

/** What the code version is made of: our modules (paths from the repository root) and packages. */
export interface CompileCode {
  modules: string[]
  packages: string[]
  version: string
}

const computed = new Map<string, CompileCode>()

/** The per-file phase's code and its version; computed once per process. */
export function compileCode(): CompileCode {
  return codeOf(COMPILE_ENTRY)
}

/** The code of the module at `entry` (a path) and of everything it imports, and its version. */
export function codeOf(entry: string): CompileCode {
  const known = computed.get(entry)
  if (known) return known
  const root = findUp(dirname(entry), 'package.json') ?? dirname(entry)
  const hash = createHash('sha256')
  const modules: string[] = []
  const packages = new Set<string>()
  const pending = [entry]
  const seen = new Set(pending)
  while (pending.length > 0) {
    const path = pending.shift()!
    const text = readFileSync(path, 'utf8')
    const shown = relative(root, path).split('\\').join('/')
    modules.push(shown)
    hash.update(`module ${shown}\n`).update(text).update('\n')
    for (const [, imported, loaded, thread] of text.matchAll(IMPORT)) {
      const specifier = imported ?? loaded ?? thread
      if (specifier!.startsWith('.')) {
        const target = resolve(dirname(path), specifier!)
        if (!seen.has(target)) {
          seen.add(target)
          pending.push(target)
        }
      } else if (!specifier!.startsWith('node:')) {
        packages.add(packageName(specifier!))
      }
    }
  }
  const versions = [...packages].sort().map((name) => {
    const manifest = findPackageJson(dirname(entry), name)
    const version = manifest
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version
      : 'missing'
    return `${name}@${version}`
  })
  hash.update(`packages ${versions.join(' ')}\n`)
  const lockfolder = findUp(root, 'package-lock.json')
  if (lockfolder)
    hash.update('lockfile\n').update(readFileSync(join(lockfolder, 'package-lock.json')))
  const code = {
    modules: modules.sort(),
    packages: versions,
    version: hash.digest('base64url').slice(0, 22),
  }
  computed.set(entry, code)
  return code
}
