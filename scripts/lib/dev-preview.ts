import { type ChildProcessByStdio, spawn } from 'node:child_process'
import type { Readable } from 'node:stream'

/**
 * Starts the authoring preview as an author runs it, `npm run dev` (the real
 * `wrangler dev`), in a project folder: on 127.0.0.1:`port`, its inspector
 * on `inspectorPort`, sending no metrics, in a process group of its own so
 * that stopping the group stops npm, the dev script, wrangler and workerd and
 * nothing else. It reads and watches that folder's own seeds/: CONTENT_SEEDS
 * is not passed on, nor DEV_PORT, which would name a second port.
 */
export function spawnDevPreview(
  cwd: string,
  ports: { port: number; inspectorPort: number },
): ChildProcessByStdio<null, Readable, Readable> {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }
  delete env.CONTENT_SEEDS
  delete env.DEV_PORT
  return spawn(
    'npm',
    [
      'run',
      'dev',
      '--',
      '--ip',
      '127.0.0.1',
      '--port',
      String(ports.port),
      '--inspector-port',
      String(ports.inspectorPort),
      '--show-interactive-dev-session=false',
    ],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
}
