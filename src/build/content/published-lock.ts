import type { CompiledArticle, CompiledContent } from '../../contract/compiled.ts'
import type { Problem } from '../../contract/problem.ts'

/**
 * The published-article lock (seeds/published.lock.json, committed with the
 * content). Once an article is published, readers and feed readers hold its
 * id and its URL: a changed id shows it again as a new item, a changed or
 * missing URL breaks links. Every build checks the articles against the lock
 * and fails, naming the article, when one would change or disappear; `npm run
 * deploy` records the articles it published (scripts/lib/deployed-lock.ts),
 * so an article that was never deployed can still be renamed or deleted.
 * Moving a deployed one takes `redirect_from` in its front matter, withdrawing
 * one takes moving its entry to `retired`.
 */

/** Name of the lock file, in the seeds folder. */
export const LOCK_FILE = 'published.lock.json'

export interface LockedArticle {
  id: string
  /** Path of the article's page, `/articles/<slug>/`. */
  url: string
  /** Where the article was last seen, for messages. */
  file: string
}

export interface RetiredArticle {
  id: string
  url: string
  /** Why it was withdrawn; for people, not read by the build. */
  note?: string
}

export interface PublishedLock {
  published: LockedArticle[]
  retired: RetiredArticle[]
}

export type LockResult = { ok: true; lock: PublishedLock } | { ok: false; problems: Problem[] }

/** The address the lock records for an article. */
export function lockedPath(article: CompiledArticle): string {
  return `/articles/${encodeURIComponent(article.slug)}/`
}

function slugOfPath(path: string): string {
  return decodeURIComponent(path.replace(/^\/articles\//, '').replace(/\/$/, ''))
}

function isEntry(value: unknown): value is { id: string; url: string } {
  const entry = value as { id?: unknown; url?: unknown } | null
  return typeof entry?.id === 'string' && typeof entry.url === 'string'
}

/** Reads the lock file's text; a problem when it is not a lock. */
export function parseLock(text: string, file = LOCK_FILE): PublishedLock | Problem {
  try {
    const raw = JSON.parse(text) as { published?: unknown; retired?: unknown }
    const published = raw.published ?? []
    const retired = raw.retired ?? []
    if (Array.isArray(published) && Array.isArray(retired)) {
      if (published.every(isEntry) && retired.every(isEntry)) {
        return {
          published: published.map((entry) => ({
            id: entry.id,
            url: entry.url,
            file: String((entry as { file?: unknown }).file ?? ''),
          })),
          retired: retired as RetiredArticle[],
        }
      }
    }
  } catch {
    // Reported below, with the fix.
  }
  return {
    file,
    field: 'lock',
    message: 'is not a lock file: it needs "published" and "retired" lists of { "id", "url" }',
    hint: 'Restore it from version control (git checkout -- published.lock.json)',
  }
}

/** The lock file's text: stable order and layout, so its diffs show only real changes. */
export function formatLock(lock: PublishedLock): string {
  const byUrl = <T extends { url: string; id: string }>(a: T, b: T) =>
    a.url < b.url ? -1 : a.url > b.url ? 1 : a.id < b.id ? -1 : 1
  return `${JSON.stringify(
    {
      published: [...lock.published].sort(byUrl).map(({ id, url, file }) => ({ id, url, file })),
      retired: [...lock.retired].sort(byUrl),
    },
    null,
    2,
  )}\n`
}

/**
 * Checks the content against the lock and returns the lock with every new
 * article added and moved URLs updated; or a problem per article whose id or
 * URL would change, or that would disappear, each saying how to fix, move or
 * withdraw it.
 */
export function updateLock(
  lock: PublishedLock,
  content: CompiledContent,
  files: Readonly<Record<string, string>>,
  options: { lockFile?: string } = {},
): LockResult {
  const lockFile = options.lockFile ?? LOCK_FILE
  const byId = new Map(content.articles.map((article) => [article.id, article]))
  const byPath = new Map(content.articles.map((article) => [lockedPath(article), article]))
  const retired = new Map(lock.retired.map((entry) => [entry.id, entry]))
  const problems: Problem[] = []
  const published: LockedArticle[] = []
  const locked = new Set(lock.published.map((entry) => entry.id))

  for (const entry of lock.published) {
    const article = byId.get(entry.id)
    if (article) {
      const file = files[article.id] ?? entry.file
      const path = lockedPath(article)
      if (path !== entry.url && !(article.redirectFrom ?? []).includes(slugOfPath(entry.url))) {
        problems.push({
          file,
          field: 'slug',
          message: `its published URL ${entry.url} would change to ${path}, breaking every link to it`,
          hint: `Keep it with \`slug: ${slugOfPath(entry.url)}\`, or move it with \`redirect_from: [${entry.url}]\` (the old URL then answers 301)`,
        })
      }
      published.push({ id: entry.id, url: path, file })
      continue
    }
    if (retired.has(entry.id)) continue
    const successor = byPath.get(entry.url)
    if (successor && !locked.has(successor.id)) {
      problems.push({
        file: files[successor.id] ?? entry.file,
        field: 'id',
        message: `its published id ${entry.id} would change to ${successor.id}, and readers would get it again as a new item`,
        hint: `Keep the id with \`id: ${entry.id}\` in its front matter`,
      })
      continue
    }
    problems.push({
      file: entry.file,
      field: 'file',
      message: `the published article ${entry.url} (id ${entry.id}) is gone`,
      hint: `Restore the file; or, if it moved, give the article \`id: ${entry.id}\` and \`redirect_from: [${entry.url}]\`; or withdraw it for good by moving its entry from "published" to "retired" in ${lockFile}`,
    })
  }

  for (const article of content.articles) {
    if (locked.has(article.id)) continue
    published.push({ id: article.id, url: lockedPath(article), file: files[article.id] ?? '' })
    retired.delete(article.id)
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, lock: { published, retired: [...retired.values()] } }
}
