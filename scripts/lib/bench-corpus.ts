/**
 * The corpus a benchmark runs over: the project's seeds/, a folder given
 * with --seeds, or a synthetic corpus of N articles generated into the
 * benchmark's work folder.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { generateCorpus } from '../generate-corpus.ts'

export interface BenchCorpus {
  /** For people: "seeds/", "2 articles in /x", "1000 generated articles over 40 topics". */
  label: string
  /** For file names: "seeds", "dir", "1000". */
  slug: string
  /** The folder of articles. */
  seeds: string
  /** What buildWorker needs to build over it. */
  buildOptions: { seeds?: string }
}

/** Writes a generated corpus of `articles` over `topics` (seed 1) into `folder`. */
export async function writeCorpus(
  folder: string,
  articles: number,
  topics: number,
  options: { future?: number } = {},
): Promise<void> {
  for (const [path, text] of generateCorpus({ articles, topics, seed: 1, ...options })) {
    await mkdir(dirname(join(folder, path)), { recursive: true })
    await writeFile(join(folder, path), text)
  }
}

/** Picks or writes the corpus; `work` is the benchmark's scratch folder. */
export async function prepareCorpus(options: {
  work: string
  seeds?: string
  articles?: number
  topics: number
}): Promise<BenchCorpus> {
  if (options.articles !== undefined) {
    const folder = join(options.work, `corpus-${options.articles}`)
    await writeCorpus(folder, options.articles, options.topics)
    return {
      label: `${options.articles} generated articles over ${options.topics} topics`,
      slug: String(options.articles),
      seeds: folder,
      buildOptions: { seeds: folder },
    }
  }
  if (options.seeds !== undefined) {
    const folder = resolve(options.seeds)
    return { label: folder, slug: 'custom', seeds: folder, buildOptions: { seeds: folder } }
  }
  return { label: 'seeds/', slug: 'seeds', seeds: resolve('seeds'), buildOptions: {} }
}
