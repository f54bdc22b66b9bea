import { type ChildProcess, spawn } from 'node:child_process'

/**
 * The real worker under `wrangler dev` (workerd, the Workers runtime), for
 * suites that test it over HTTP: the reader conformance suite and the browser
 * tests. It listens on 127.0.0.1 only, compiles `seeds` (CONTENT_SEEDS) with
 * the [build] command, and runs in its own process group so that stopping it
 * stops workerd too.
 */

export interface WranglerDevOptions {
  /** Folder of articles to serve; default: seeds/. */
  seeds?: string
  port: number
  /** Default: port + 1. */
  inspectorPort?: number
  /** [vars] overrides, passed as `--var NAME:value` and to the build's environment. */
  vars?: Record<string, string>
  /** Scope of error messages, like `readers`. */
  scope: string
}

export interface WranglerDev {
  origin: string
  /** Stops wrangler and workerd; waits up to 5 s, then kills them. */
  stop(): Promise<void>
}

const STARTUP_MS = 120_000

/** Starts `wrangler dev` and resolves once its home page answers 200. */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const { port, scope } = options
  const origin = `http://127.0.0.1:${port}`
  const vars = options.vars ?? {}
  const child = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(options.inspectorPort ?? port + 1),
      '--inspector-ip',
      '127.0.0.1',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    {
      env: {
        ...process.env,
        // The build reads [vars] too (article pages are built as static assets).
        ...vars,
        ...(options.seeds ? { CONTENT_SEEDS: options.seeds } : {}),
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  )
  const output: string[] = []
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const server = { origin, stop: () => stopProcessGroup(child) }
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline && child.exitCode === null) {
    const answered = await fetch(`${origin}/`, { signal: AbortSignal.timeout(5_000) })
      .then((response) => response.status === 200)
      .catch(() => false)
    if (answered) return server
    await new Promise((done) => setTimeout(done, 500))
  }
  await server.stop()
  throw new Error(`[${scope}] wrangler dev did not answer on ${origin}:\n${output.join('')}`)
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return
  const exited = new Promise((done) => child.once('exit', done))
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return // Already gone.
  }
  await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))])
  if (child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // Gone meanwhile.
    }
  }
}
