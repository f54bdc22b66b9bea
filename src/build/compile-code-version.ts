import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The version of the code that compiles one article, for the build cache's
 * keys: a hash of every module the per-file phase runs (found by following
 * the imports of src/build/content/compile-content.ts), of the installed version of
 * every package they import, and of package-lock.json, which pins the
 * packages those depend on. Nobody has to remember to bump it: editing the
 * renderer, the schema or a dependency changes it, and every cached article
 * compiles again.
 */

/** The module whose imports are followed. */
const ENTRY = fileURLToPath(new URL('./content/compile-content.ts', import.meta.url).href)

/** Every static import and export-from specifier of a module's text. */
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g

/** The package a bare specifier names: `marked`, `@scope/name`, `js-yaml/dist/x` → `js-yaml`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/** The nearest `node_modules/<name>/package.json` above `from`, or undefined. */
function findPackageJson(from: string, name: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name, 'package.json')
    if (existsSync(candidate)) return candidate
    if (dirname(folder) === folder) return undefined
  }
}

/** The nearest package-lock.json above `from`, or undefined. */
function findLockfile(from: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'package-lock.json')
    if (existsSync(candidate)) return candidate
    if (dirname(folder) === folder) return undefined
  }
}

/** What the code version is made of: our modules (paths from the repository root) and packages. */
export interface CompileCode {
  modules: string[]
  packages: string[]
  version: string
}

let computed: CompileCode | undefined

/** The per-file phase's code and its version; computed once per process. */
export function compileCode(): CompileCode {
  if (computed) return computed
  const root = dirname(dirname(dirname(dirname(ENTRY))))
  const hash = createHash('sha256')
  const modules: string[] = []
  const packages = new Set<string>()
  const pending = [ENTRY]
  const seen = new Set(pending)
  while (pending.length > 0) {
    const path = pending.shift()!
    const text = readFileSync(path, 'utf8')
    const shown = relative(root, path).split('\\').join('/')
    modules.push(shown)
    hash.update(`module ${shown}\n`).update(text).update('\n')
    for (const [, specifier] of text.matchAll(IMPORT)) {
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
    const manifest = findPackageJson(dirname(ENTRY), name)
    const version = manifest
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version
      : 'missing'
    return `${name}@${version}`
  })
  hash.update(`packages ${versions.join(' ')}\n`)
  const lockfile = findLockfile(root)
  if (lockfile) hash.update('lockfile\n').update(readFileSync(lockfile))
  computed = {
    modules: modules.sort(),
    packages: versions,
    version: hash.digest('base64url').slice(0, 22),
  }
  return computed
}
