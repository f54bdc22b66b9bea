import type { ItemRef, ScopeState } from '../contract/site-index.ts'

/**
 * Which items a filtered feed (`?topics=a,b&exclude=c`) holds, from the
 * newest items of the topic feeds (or of the site feed, for `exclude` alone)
 * without looking at the catalogue: the lists are merged newest first, and
 * an item is taken only while no list that was cut short could still hold a
 * newer article — so a filter holds exactly the articles its topic feeds
 * show, in the same order, at the cost of a topic feed.
 */

/** One list the filter draws from: a scope's state at the request's view. */
export interface FilterSource {
  state: ScopeState
}

/** An item of the filtered feed and the scope state whose documents hold its fragments. */
export interface FilterPick {
  state: ScopeState
  item: ItemRef
}

/**
 * Picks up to `limit` items. `sources` are the included topics' states (or
 * the site's, when only `exclude` is given); `excluded` holds topic indexes.
 */
export function pickFilteredItems(
  sources: readonly ScopeState[],
  excluded: ReadonlySet<number>,
  limit: number,
): FilterPick[] {
  // Nothing older than the last item of a list that was cut short is known to be complete.
  let threshold = Number.NEGATIVE_INFINITY
  for (const state of sources) {
    const last = state.items[state.items.length - 1]
    if (!state.complete && last) threshold = Math.max(threshold, last.published)
  }
  const seen = new Set<string>()
  const picks: FilterPick[] = []
  for (const state of sources) {
    for (const item of state.items) {
      if (item.published < threshold || seen.has(item.id)) continue
      if (item.topics.some((topic) => excluded.has(topic))) continue
      seen.add(item.id)
      picks.push({ state, item })
    }
  }
  picks.sort(
    (a, b) =>
      b.item.published - a.item.published ||
      (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0),
  )
  return picks.slice(0, limit)
}
