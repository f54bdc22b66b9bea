/**
 * `npm run dev [-- <wrangler dev options>]`: the local preview. Runs
 * `wrangler dev --live-reload` with CONTENT_PREVIEW=1 (a broken article shows
 * its problems on every page instead of stopping the server), on DEV_PORT
 * when set, and allows wrangler's live-reload script in the pages' CSP by its
 * hash, in this preview only (src/worker/http/live-reload.ts): the open page
 * reloads after every save. The content is built here, at start and after
 * every save in the seeds folder or the code, rather than by wrangler, so that
 * a saved article's page shows at once and the preview keeps serving while
 * the rest builds (scripts/lib/dev-rebuilds.ts); wrangler runs over
 * wrangler.toml without its [build] section (scripts/lib/dev-config.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { watch } from 'node:fs'
import { resolve } from 'node:path'
import { LIVE_RELOAD_VARIABLE } from '../src/worker/http/live-reload.ts'
import { PENDING_LOCK_FILE } from './lib/deployed-lock.ts'
import { writeDevConfig } from './lib/dev-config.ts'
import { rebuildOnSave } from './lib/dev-rebuilds.ts'
import { readLiveReloadScriptHash } from './lib/live-reload-script.ts'

const args = process.argv.slice(2)
const port = /^\d+$/.test(process.env.DEV_PORT ?? '') ? ['--port', process.env.DEV_PORT!] : []
const found = await readLiveReloadScriptHash()
if ('problem' in found) {
  console.error(
    `[dev] ${found.problem}. Pages will not reload by themselves (their CSP refuses the script); reload them by hand, and report it with the wrangler version`,
  )
}
const hash = 'hash' in found ? found.hash : ''
// Every build of the preview gets these: CONTENT_PREVIEW, and the hash for the static article
// pages' _headers.
const buildEnv = { ...process.env, CONTENT_PREVIEW: '1', [LIVE_RELOAD_VARIABLE]: hash }
// The build's own defaults (scripts/build-content.ts): seeds/, or CONTENT_SEEDS; output in generated/.
const rebuilds = rebuildOnSave({
  seeds: process.env.CONTENT_SEEDS || 'seeds',
  code: 'src',
  assets: resolve('generated/assets'),
  lock: resolve('generated', PENDING_LOCK_FILE),
  wranglerToml: resolve('wrangler.toml'),
  env: buildEnv,
  log: (line) => console.log(line),
})
let child: ChildProcess | undefined
// Ctrl-C reaches wrangler and a build too (same process group); a plain `kill` of this process is
// passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    rebuilds.close()
    if (child) child.kill(signal)
    else process.exit(1)
  })
}
// Settings are read by the build and by wrangler: a change to wrangler.toml goes to both.
let settingsChanged: NodeJS.Timeout | undefined
watch(process.cwd(), (_event, name) => {
  if (name !== 'wrangler.toml') return
  clearTimeout(settingsChanged)
  settingsChanged = setTimeout(() => {
    void writeDevConfig(process.cwd()).then(rebuilds.build, (error: Error) =>
      console.error(`[dev] wrangler.toml: ${error.message}`),
    )
  }, 100)
}).unref()
// In preview a build with broken articles still succeeds (the pages show the problems); one that
// fails could not write the site at all.
if ((await rebuilds.build()) !== 0) {
  console.error('[dev] the content build failed (above); fix that and run npm run dev again')
  rebuilds.close()
  process.exit(1)
}
child = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '--config',
    await writeDevConfig(process.cwd()),
    '--live-reload',
    ...port,
    ...(hash ? ['--var', `${LIVE_RELOAD_VARIABLE}:${hash}`] : []),
    ...args,
  ],
  { stdio: 'inherit' },
)
child.on('exit', (code, signal) => {
  rebuilds.close()
  process.exitCode = code ?? (signal ? 1 : 0)
})
