import { pagePackPath } from '../../contract/pack.ts'
import type { DocumentInput, DocumentStore, KeyedInput } from './document-store.ts'

/**
 * Closed pages of a paged list (archive pages, older topic pages, sitemap
 * parts) on their way into packs. Pages close in order, so a pack is written
 * as soon as its last page closes, and memory holds at most one pack per list;
 * a list that gets no more pages is written at once (finishLists), so that a
 * site with hundreds of topics holds the unfinished packs of one at a time.
 */
export class PagedPacks {
  readonly #store: DocumentStore
  readonly #pagesPerPack: number
  readonly #pending = new Map<string, Map<string, DocumentInput | KeyedInput>>()

  constructor(store: DocumentStore, pagesPerPack: number) {
    this.#store = store
    this.#pagesPerPack = pagesPerPack
  }

  /**
   * Adds closed page `page` (from 1) of `list`; pages already added are
   * ignored. A keyed page is made when its pack is written, and only if the
   * pack is not kept from an earlier build.
   */
  add(list: string, page: number, input: DocumentInput | KeyedInput): void {
    const path = pagePackPath(list, page, this.#pagesPerPack)
    let entries = this.#pending.get(path)
    if (!entries) {
      entries = new Map()
      this.#pending.set(path, entries)
    }
    if (entries.has(String(page))) return
    entries.set(String(page), input)
    if (entries.size === this.#pagesPerPack) {
      this.#store.writePack(path, entries)
      this.#pending.delete(path)
    }
  }

  /** Writes the packs of these lists that are not full yet: they get no more pages. */
  finishLists(lists: readonly string[]): void {
    const folders = lists.map((list) => pagePackPath(list, 1, 1).replace(/[^/]*$/, ''))
    for (const [path, entries] of this.#pending) {
      if (!folders.some((folder) => path.startsWith(folder))) continue
      this.#store.writePack(path, entries)
      this.#pending.delete(path)
    }
  }

  /** Writes every pack that is not full yet. */
  finish(): void {
    for (const [path, entries] of this.#pending) this.#store.writePack(path, entries)
    this.#pending.clear()
  }
}
