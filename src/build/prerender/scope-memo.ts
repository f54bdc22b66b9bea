import { hashParts } from '../compile-cache.ts'
import type { DocumentStore } from './document-store.ts'

/**
 * Feed scopes kept whole between builds. A scope (the site's feeds, or a
 * topic's feeds and pages) is a few dozen documents and packs, and working out
 * which ones — planning its archive, joining and hashing its subscription
 * documents, keying each closed page — costs time for every article in it,
 * even when every file comes out as the last build left it. An edit changes
 * the site's scope and its article's topics; at 100,000 articles and 200
 * topics, the other 199 scopes were most of a warm build's prerender.
 *
 * So a scope is made under a key that stands for everything it follows from
 * (the caller's: its articles as they are, its place, and the code and
 * settings, which the keeper's own key holds), and the keeper remembers what
 * it came to — its part of the site index — and every file it made or kept.
 * A build that finds the same key puts those files in place (see
 * DocumentStore.replay) and takes the part of the index as it was, when
 * every file is still the one the last build left; otherwise it makes the
 * scope. Either way the files and the index are the same bytes (the
 * kept-assets test builds both ways and compares).
 */
export class ScopeMemo {
  readonly #store: DocumentStore
  /** Scopes kept whole, and all scopes. */
  kept = 0
  scopes = 0

  constructor(store: DocumentStore) {
    this.#store = store
  }

  /**
   * The scope `name` as `make` makes it, or as the last build made it under
   * the same key. `key` undefined: made, and not remembered.
   */
  run<T>(name: string, key: string | undefined, make: () => T): T {
    this.scopes++
    const keeper = this.#store.keeper
    if (!keeper || key === undefined) return make()
    // The scope's part of the index names media types by their place in the table.
    const types = this.#store.types.length
    const fullKey = hashParts(key, JSON.stringify(this.#store.types))
    const recalled = keeper.recallScope(name, fullKey)
    if (recalled && this.#store.replay(recalled.files)) {
      keeper.rememberScope(name, recalled)
      this.kept++
      return recalled.value as T
    }
    const { value, files, keyed } = this.#store.record(make)
    // A scope that added a media type, or made a file with no key, is made again next time.
    if (keyed && this.#store.types.length === types)
      keeper.rememberScope(name, { key: fullKey, value, files })
    return value
  }
}
