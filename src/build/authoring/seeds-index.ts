import {
  ARTICLE_EXTENSIONS,
  articleSlug,
  SLUG_LENGTH,
  type SourceFile,
} from '../content/compile-content.ts'
import { parseArticle } from '../content/parse-article.ts'
import { parseTaxonomy, TAXONOMY_FILE, type Taxonomy } from '../content/taxonomy.ts'

/**
 * What `new` and `import` need to know about the articles already in the
 * seeds folder, read with the build's own parser: which URLs are taken,
 * which originals are already in, what each news site is called, and the
 * taxonomy. Files the build would refuse are skipped here; the build and
 * `npm run check` report them.
 */
export interface SeedsIndex {
  /** Slug of each article, to the file that has it. */
  slugs: Map<string, string>
  /** Original URL of each article, to the file that has it. */
  sourceUrls: Map<string, string>
  /** The `source_name` articles give a site (host name without `www.`), to the file that says so. */
  sourceNames: Map<string, { name: string; file: string }>
  taxonomy?: Taxonomy
}

/** The host name a site is known by: without `www.`. */
export function siteOf(url: URL): string {
  return url.hostname.replace(/^www\./, '')
}

/** Indexes the files of a seeds folder (paths relative to it). */
export function indexSeeds(files: readonly SourceFile[]): SeedsIndex {
  const index: SeedsIndex = { slugs: new Map(), sourceUrls: new Map(), sourceNames: new Map() }
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const file of sorted) {
    if (file.path === TAXONOMY_FILE) {
      const taxonomy = parseTaxonomy(file.path, file.bytes).taxonomy
      if (taxonomy) index.taxonomy = taxonomy
      continue
    }
    if (!ARTICLE_EXTENSIONS.some((extension) => file.path.toLowerCase().endsWith(extension))) {
      continue
    }
    const { article } = parseArticle(file.path, file.bytes)
    if (!article) continue
    index.slugs.set(articleSlug(article.frontMatter.slug ?? article.title), file.path)
    if (!article.sourceUrl || !URL.canParse(article.sourceUrl)) continue
    const url = new URL(article.sourceUrl)
    index.sourceUrls.set(url.href, file.path)
    const name = article.frontMatter.source_name?.trim()
    if (name && !index.sourceNames.has(siteOf(url))) {
      index.sourceNames.set(siteOf(url), { name, file: file.path })
    }
  }
  return index
}

/**
 * A slug no article has: the wanted one, or the first free of `wanted-2`,
 * `wanted-3`… The slug is recorded as taken by `file`.
 */
export function claimSlug(index: SeedsIndex, wanted: string, file: string): string {
  let slug = wanted
  for (let suffix = 2; index.slugs.has(slug); suffix++) {
    // The suffix must survive the build's cut to SLUG_LENGTH, so the base gives way.
    const base = wanted.slice(0, SLUG_LENGTH - String(suffix).length - 1).replace(/-+$/, '')
    slug = `${base}-${suffix}`
  }
  index.slugs.set(slug, file)
  return slug
}
