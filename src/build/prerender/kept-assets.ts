import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicallySync } from '../atomic-file.ts'
import { hashParts } from '../compile-cache.ts'
import type { AssetKeeper, KeptScope } from './document-store.ts'

/**
 * Files of the assets folder kept from one build to the next: closed archive
 * packs, article packs and plain article pages, which are most of a build's
 * bytes and prerender time, and documents named by their ETag, which are
 * rendered to know their name but not written again. A closed archive page comes out the same until
 * one of its items changes (RFC 5005 section 4: archived documents should
 * not change), an article page until its article does, so a build after an
 * edit makes only the files that hold the edited article.
 *
 * A file is kept when the last build, with the same code and settings, wrote
 * it for the same key (a pack's: every page's key and media type, see
 * writePack in document-store.ts) at the same path of the same assets folder,
 * and it is still the file that build left (same size and modification
 * time). It then stays where it is, named as kept, instead of being made
 * and written: the new folder goes into place file by file around it (see
 * replace-assets.ts). The list also keeps what each feed scope
 * came to and the files it needs (see scope-memo.ts). The list lives
 * in the build cache beside the kept item fragments; it is removed as a build
 * starts and written when its assets folder is in place, so a build that
 * stops half way leaves none. Deleting it changes nothing but time.
 */

const FORMAT = 2

/** A file as the list keeps it: key, bytes, modification time (ms), largest document's bytes. */
type StoredFile = [key: string, bytes: number, modified: number, largest: number]

interface StoredList {
  format: number
  settings: string
  /** The assets folder the files are in. */
  assets: string
  files: Record<string, StoredFile>
  /** What each feed scope came to, by name (see scope-memo.ts). */
  scopes: Record<string, StoredScope>
}

/** A scope as the list keeps it, with a digest of the rest: an edited one is not taken. */
type StoredScope = KeptScope & { digest: string }

function scopeDigest(scope: KeptScope): string {
  return hashParts(scope.key, JSON.stringify(scope.value), JSON.stringify(scope.files))
}

function isKeptScope(value: unknown, key: string): value is StoredScope {
  const scope = value as Partial<StoredScope> | undefined
  return (
    scope?.key === key &&
    Array.isArray(scope.files) &&
    scope.files.every(
      (file) =>
        Array.isArray(file) &&
        file.length === 2 &&
        typeof file[0] === 'string' &&
        typeof file[1] === 'string',
    ) &&
    scope.digest === scopeDigest(scope as KeptScope)
  )
}

/** The files a list names, or none when it is missing, damaged or for other settings or assets. */
function readList(file: string, settings: string, assets: string): Omit<StoredList, 'format'> {
  const none = { settings, assets, files: {}, scopes: {} }
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredList>
    const valid =
      list.format === FORMAT &&
      list.settings === settings &&
      list.assets === assets &&
      typeof list.files === 'object' &&
      list.files !== null &&
      typeof list.scopes === 'object' &&
      list.scopes !== null
    return valid ? (list as StoredList) : none
  } catch {
    return none
  }
}

function isStoredFile(value: unknown): value is StoredFile {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    value.slice(1).every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)
  )
}

export class KeptAssets implements AssetKeeper {
  readonly #file: string
  readonly #settings: string
  readonly #assets: string
  readonly #stored: Record<string, StoredFile>
  readonly #storedScopes: Record<string, StoredScope>
  /** This build's files: key, bytes, largest document. */
  readonly #files = new Map<string, [string, number, number]>()
  readonly #scopes: Record<string, KeptScope> = {}
  /** Files kept, and their bytes. */
  kept = 0
  keptBytes = 0
  /** The paths of the files kept where they are, in the assets folder. */
  readonly keptInPlace = new Set<string>()

  /**
   * `file`: the list, in the build cache. `settings`: the key of the code and
   * settings the files are made with. `assets`: the assets folder, where the
   * last build's files are and where this build's will be.
   */
  constructor(options: { file: string; settings: string; assets: string }) {
    this.#file = options.file
    this.#settings = options.settings
    this.#assets = options.assets
    const list = readList(options.file, options.settings, options.assets)
    this.#stored = list.files
    this.#storedScopes = list.scopes
    rmSync(options.file, { force: true })
  }

  /** The last build's file for `key` at `path`, if it is still the file that build left. */
  #keptFile(path: string, key: string): StoredFile | undefined {
    const stored = Object.hasOwn(this.#stored, path) ? this.#stored[path] : undefined
    if (!isStoredFile(stored) || stored[0] !== key) return undefined
    const [, bytes, modified] = stored
    const found = statSync(join(this.#assets, path), { throwIfNoEntry: false })
    if (!found?.isFile() || found.size !== bytes || found.mtimeMs !== modified) return undefined
    return stored
  }

  canReuse(path: string, key: string): boolean {
    const made = this.#files.get(path)
    return made ? made[0] === key : this.#keptFile(path, key) !== undefined
  }

  reuse(path: string, key: string): { bytes: number; largest: number } | undefined {
    const stored = this.#keptFile(path, key)
    if (!stored) return undefined
    const [, bytes, , largest] = stored
    this.keptInPlace.add(path)
    this.#files.set(path, [key, bytes, largest])
    this.kept++
    this.keptBytes += bytes
    return { bytes, largest }
  }

  wrote(path: string, key: string, bytes: number, largest: number): void {
    this.#files.set(path, [key, bytes, largest])
  }

  recallScope(name: string, key: string): KeptScope | undefined {
    const stored = Object.hasOwn(this.#storedScopes, name) ? this.#storedScopes[name] : undefined
    return isKeptScope(stored, key)
      ? { key: stored.key, value: stored.value, files: stored.files }
      : undefined
  }

  rememberScope(name: string, scope: KeptScope): void {
    this.#scopes[name] = scope
  }

  /** Writes the list of this build's files, once its assets folder is in place. */
  save(): void {
    const files: Record<string, StoredFile> = {}
    for (const [path, [key, bytes, largest]] of this.#files) {
      const found = statSync(join(this.#assets, path), { throwIfNoEntry: false })
      if (found?.isFile() && found.size === bytes)
        files[path] = [key, bytes, found.mtimeMs, largest]
    }
    // A scope is remembered only with every file it needs on the list.
    const scopes: Record<string, StoredScope> = {}
    for (const [name, scope] of Object.entries(this.#scopes))
      if (scope.files.every(([path, key]) => files[path]?.[0] === key))
        scopes[name] = { ...scope, digest: scopeDigest(scope) }
    const list: StoredList = {
      format: FORMAT,
      settings: this.#settings,
      assets: this.#assets,
      files,
      scopes,
    }
    writeFileAtomicallySync(this.#file, JSON.stringify(list))
  }
}
