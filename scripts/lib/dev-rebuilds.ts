import { type ChildProcess, spawn } from 'node:child_process'
import { setPriority } from 'node:os'
import { relative, resolve, sep } from 'node:path'
import { type FSWatcher, watch } from 'chokidar'
import { readBuildSiteConfig } from '../../src/build/build-site-config.ts'
import { ARTICLE_EXTENSIONS } from '../../src/build/content/compile-content.ts'
import { refreshArticlePage } from '../../src/build/preview/quick-article-page.ts'

/**
 * `npm run dev` builds the content on every save in the seeds folder itself,
 * rather than through wrangler's [build] watch: wrangler holds every request
 * while a build it started runs, so on a large archive the page an author is
 * looking at would wait the whole build. Here a saved article's own page is
 * made again at once (src/build/preview/quick-article-page.ts), which the
 * preview shows within a second, and a build then brings the feeds, lists
 * and packs while the preview keeps serving. Saves during a build keep
 * their pages (the build makes them again before it replaces the assets
 * folder) and are taken by one more build after it; builds never overlap
 * (scripts/lib/build-lock.ts).
 */

export interface DevRebuildsOptions {
  seeds: string
  /** The worker's code: pages and feeds are prerendered, so a change there needs a build too. */
  code: string
  /** The assets folder and published-article lock the builds write (see scripts/build-content.ts). */
  assets: string
  lock: string
  /** Where wrangler.toml is, for the site settings the build uses. */
  wranglerToml: string
  /** The environment of the builds (CONTENT_PREVIEW, the live-reload hash). */
  env: NodeJS.ProcessEnv
  log: (line: string) => void
}

/** Editors write a file in a few events (truncate, write, rename): one page per burst. */
const PAGE_SETTLE_MS = 30
/**
 * One build per burst, and chokidar reports a save by rename's leftovers
 * (the editor's temporary file gone) 100 ms later: wait longer for the build,
 * which takes seconds anyway.
 */
const BUILD_SETTLE_MS = 300

/** Lower priority for the builds than for the preview (POSIX nice, 0–19). */
const BUILD_NICENESS = 10

function isArticle(file: string): boolean {
  const lower = file.toLowerCase()
  return ARTICLE_EXTENSIONS.some((extension) => lower.endsWith(extension))
}

export interface DevRebuilds {
  /**
   * Builds now (or once more after the build under way); resolves when no
   * build is left to run, with the last one's exit code.
   */
  build(): Promise<number>
  /** Stops watching, and any build under way. */
  close(): void
}

/** Starts watching the seeds folder and the code. */
export function rebuildOnSave(options: DevRebuildsOptions): DevRebuilds {
  const saved = new Set<string>()
  /** Articles saved since the build under way started: its output has their old pages. */
  const savedDuringBuild = new Set<string>()
  let pageSettle: NodeJS.Timeout | undefined
  let buildSettle: NodeJS.Timeout | undefined
  let building: ChildProcess | undefined
  let buildAgain = false
  let closed = false
  let idle: ((code: number) => void)[] = []

  const runBuild = () => {
    if (closed) return
    if (building) {
      buildAgain = true
      return
    }
    buildAgain = false
    savedDuringBuild.clear()
    const child = spawn('npm', ['run', '--silent', 'build:content'], {
      stdio: 'inherit',
      env: options.env,
    })
    building = child
    // The build runs niced, before npm starts it (its processes and threads inherit that): the
    // preview, and the page of an article saved while the build runs, go first on the cores.
    try {
      if (child.pid !== undefined) setPriority(child.pid, BUILD_NICENESS)
    } catch {
      // Not allowed here: the build runs at the preview's priority.
    }
    const done = async (code: number) => {
      if (building !== child) return
      // The build made again the pages of articles saved while it ran, just before it replaced
      // the assets folder (src/build/preview/pages-saved-during-build.ts); a save after that
      // moment had its page replaced by what the build read: show it again at once, and let the
      // next build bring the rest.
      if (savedDuringBuild.size > 0) await refreshPages([...savedDuringBuild])
      building = undefined
      if (buildAgain && !closed) return runBuild()
      for (const resolve of idle) resolve(code)
      idle = []
    }
    child.once('exit', (code) => void done(code ?? 1))
    child.once('error', (error) => {
      options.log(`[dev] the build did not start: ${error.message}`)
      void done(1)
    })
  }
  const build = () =>
    new Promise<number>((resolve) => {
      idle.push(resolve)
      runBuild()
    })

  // The saved articles' pages at once; the build after the burst.
  const refreshPages = async (files: readonly string[]) => {
    const site = await readBuildSiteConfig(options.wranglerToml).catch(() => undefined)
    for (const file of files) {
      if (!site || !isArticle(file)) continue
      if (building) savedDuringBuild.add(file)
      const started = performance.now()
      const outcome = await refreshArticlePage({
        seeds: options.seeds,
        file,
        assets: options.assets,
        lock: options.lock,
        site,
        now: Date.now(),
      }).catch((error: Error) => ({ skipped: error.message }))
      if ('written' in outcome) {
        options.log(
          `[dev] ${file}: its page shows the edit (${Math.round(performance.now() - started)} ms); building the rest…`,
        )
      }
    }
  }

  // chokidar rather than fs.watch: Node's recursive watcher on Linux loses a file once an
  // editor saves it by renaming a new copy over it, which many do.
  const watchers: FSWatcher[] = []
  for (const [scope, folder] of [
    ['seeds', options.seeds],
    ['code', options.code],
  ] as const) {
    const root = resolve(folder)
    const watcher = watch(root, {
      ignoreInitial: true,
      // Hidden files and folders are not the site's (the build skips them; editors keep swap files there).
      ignored: (path) =>
        relative(root, path)
          .split(sep)
          .some((part) => part.startsWith('.')),
    })
    watcher.on('all', (_event, path) => {
      if (scope === 'seeds') saved.add(relative(root, path).split(sep).join('/'))
      clearTimeout(pageSettle)
      pageSettle = setTimeout(() => {
        const files = [...saved]
        saved.clear()
        void refreshPages(files)
      }, PAGE_SETTLE_MS)
      clearTimeout(buildSettle)
      buildSettle = setTimeout(runBuild, BUILD_SETTLE_MS)
    })
    watcher.on('error', (error) => {
      options.log(
        `[dev] stopped watching ${folder} (${(error as Error).message}); restart npm run dev to see later edits`,
      )
      void watcher.close()
    })
    watchers.push(watcher)
  }
  return {
    build,
    close() {
      closed = true
      clearTimeout(pageSettle)
      clearTimeout(buildSettle)
      for (const watcher of watchers) void watcher.close()
      building?.kill('SIGTERM')
      for (const resolve of idle) resolve(1)
    },
  }
}
