/**
 * `npm run dev [-- <wrangler dev options>]`: the local preview. Runs
 * `wrangler dev --live-reload` with CONTENT_PREVIEW=1 (a broken article shows
 * its problems on every page instead of stopping the server), on DEV_PORT
 * when set, and allows wrangler's live-reload script in the pages' CSP by its
 * hash, in this preview only (src/worker/http/live-reload.ts): the open page
 * reloads after every save.
 */
import { spawn } from 'node:child_process'
import { LIVE_RELOAD_VARIABLE } from '../src/worker/http/live-reload.ts'
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
const child = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '--live-reload',
    ...port,
    ...(hash ? ['--var', `${LIVE_RELOAD_VARIABLE}:${hash}`] : []),
    ...args,
  ],
  {
    stdio: 'inherit',
    // The build (wrangler's [build] command) inherits these: CONTENT_PREVIEW, and the hash for
    // the static article pages' _headers.
    env: { ...process.env, CONTENT_PREVIEW: '1', [LIVE_RELOAD_VARIABLE]: hash },
  },
)
// Ctrl-C reaches wrangler too (same process group); a plain `kill` of this process is passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
