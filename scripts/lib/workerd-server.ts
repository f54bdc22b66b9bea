/**
 * Builds the worker the way `wrangler deploy` does and serves the bundle with
 * workerd itself, the Workers runtime, through a generated config on
 * 127.0.0.1. Benchmarks and soak tests use it instead of `wrangler dev`,
 * whose Node proxy caps throughput at a few hundred requests per second and
 * would be what they measure.
 *
 * The build runs in a staging copy of the project, so building over another
 * corpus (`seeds`) never touches the working tree's generated/ folder that
 * `npm test` and `npm run dev` read.
 */
import { spawn } from 'node:child_process'
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { connect } from 'node:net'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import { assetWorkerSource, readHeaderRules } from './asset-server.ts'
import { freePort } from './free-port.ts'
import { MemoryLimitExceeded, stopOnAbort, watchGroupMemory } from './time-bound.ts'

/** Top-level entries of the project that a build never needs, or makes itself. */
const NOT_STAGED = new Set([
  '.git',
  'node_modules',
  'generated',
  'dist',
  'results',
  'test-output',
  '.wrangler',
  '.tools',
  // A build cache (content compiled per article): a staged build starts cold.
  '.cache',
])

const require = createRequire(import.meta.url)

const GNU_TIME = '/usr/bin/time'

export interface BuildOptions {
  /** Folder of articles to compile instead of the project's seeds/ (CONTENT_SEEDS). */
  seeds?: string
  /** Where the staging copy and the bundle go; emptied first. */
  outDir: string
  /** The project root; default: the current folder. */
  root?: string
  /** Extra environment for the build, like `{ SITE_URL: 'https://example.com' }`. */
  env?: Record<string, string>
  /** Print wrangler's output. */
  verbose?: boolean
  /**
   * A project already staged by stageProject: build there instead of staging
   * a fresh copy, so whatever a previous build left (generated/, a build
   * cache) is used, as on an author's machine.
   */
  staged?: string
  /** Stops the build (wrangler and everything it started) when fired. */
  signal?: AbortSignal
  /** Stops the build, as not fitting, when its processes together hold more memory than this. */
  maxRssBytes?: number
}

/** A built worker: the bundle wrangler would upload, and the settings it runs with. */
export interface BuiltWorker {
  /** Folder holding the bundle's modules. */
  bundleDir: string
  /** File name of the entry module inside bundleDir. */
  main: string
  /** Every module of the bundle, entry first, as file names inside bundleDir. */
  modules: string[]
  /** Bytes of all modules, raw and gzipped (what the script-size limit counts). */
  bundleBytes: number
  bundleGzipBytes: number
  /** The static assets folder ([assets] in wrangler.toml), when there is one. */
  assetsDir?: string
  compatibilityDate: string
  compatibilityFlags: string[]
  /** [vars] of wrangler.toml. */
  vars: Record<string, string>
  /** Wall time of the whole build (content build and bundling), in ms. */
  buildMs: number
  /** Largest resident set of one process of the build (GNU time), when it was measured. */
  buildPeakRssBytes?: number
}

interface WranglerConfig {
  compatibility_date?: string
  compatibility_flags?: string[]
  vars?: Record<string, unknown>
  assets?: { directory?: string }
}

function run(
  command: string,
  args: string[],
  options: {
    cwd: string
    env: NodeJS.ProcessEnv
    verbose: boolean
    signal?: AbortSignal
    maxRssBytes?: number
  },
): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a time bound stops the build it runs too.
      detached: true,
    })
    const release = stopOnAbort(child, options.signal)
    const memory = watchGroupMemory(child, options.maxRssBytes)
    let output = ''
    const collect = (chunk: Buffer) => {
      // The end of the output, where a failed build says why (after any warnings).
      output = (output + chunk.toString()).slice(-50_000)
      if (options.verbose) process.stderr.write(chunk)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', fail)
    child.on('close', (code) => {
      release()
      memory.stop()
      if (memory.exceeded()) fail(new MemoryLimitExceeded(command, options.maxRssBytes ?? 0))
      else if (options.signal?.aborted) fail(options.signal.reason)
      else if (code === 0) done(output)
      else
        fail(
          new Error(`[workerd-server] ${command} ${args.join(' ')} failed (${code}):\n${output}`),
        )
    })
  })
}

/**
 * Copies the project into `stage`, linking node_modules instead of copying
 * it; what a build makes (generated/, caches, results) is left behind.
 */
export async function stageProject(root: string, stage: string): Promise<void> {
  await mkdir(stage, { recursive: true })
  for (const entry of await readdir(root)) {
    if (NOT_STAGED.has(entry)) continue
    await cp(join(root, entry), join(stage, entry), { recursive: true })
  }
  await symlink(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir')
}

async function readWranglerConfig(stage: string): Promise<WranglerConfig> {
  // wrangler's own reader, so the settings are exactly the ones a deploy uses.
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig(
    { config: join(stage, 'wrangler.toml') },
    { hideWarnings: true },
  ) as WranglerConfig
  return config
}

/**
 * Builds the worker with `wrangler deploy --dry-run --outdir`: the content
 * build ([build] in wrangler.toml, over `seeds` when given), then bundling.
 */
export async function buildWorker(options: BuildOptions): Promise<BuiltWorker> {
  const root = resolve(options.root ?? '.')
  const outDir = resolve(options.outDir)
  const stage = options.staged ? resolve(options.staged) : join(outDir, 'project')
  const bundleDir = join(outDir, 'bundle')
  if (options.staged) {
    await rm(bundleDir, { recursive: true, force: true })
  } else {
    await rm(outDir, { recursive: true, force: true })
    await stageProject(root, stage)
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  env.CONTENT_SEEDS = options.seeds ? resolve(options.seeds) : join(stage, 'seeds')
  const started = performance.now()
  // GNU time (Debian package `time`) reports the build's peak memory, when it is there.
  const timeReport = join(outDir, 'build-time.txt')
  const gnuTime = await stat(GNU_TIME).then(
    () => [GNU_TIME, '--format=%M', `--output=${timeReport}`],
    () => [],
  )
  const [command, ...prefix] = [
    ...gnuTime,
    process.execPath,
    join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
  ]
  await mkdir(outDir, { recursive: true })
  await run(command!, [...prefix, 'deploy', '--dry-run', '--outdir', bundleDir], {
    cwd: stage,
    env,
    verbose: options.verbose ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxRssBytes ? { maxRssBytes: options.maxRssBytes } : {}),
  })
  const buildMs = performance.now() - started
  const peakKib = Number(
    (await readFile(timeReport, 'utf8').catch(() => '')).trim().split('\n').pop() || Number.NaN,
  )
  const config = await readWranglerConfig(stage)
  const files = (await readdir(bundleDir)).filter((file) => /\.(m?js|wasm|bin|txt)$/.test(file))
  const main = files.includes('index.js') ? 'index.js' : files[0]
  if (!main) throw new Error(`[workerd-server] ${bundleDir}: no module was bundled`)
  const modules = [main, ...files.filter((file) => file !== main).sort()]
  const contents = await Promise.all(modules.map((file) => readFile(join(bundleDir, file))))
  const vars: Record<string, string> = {}
  for (const [name, value] of Object.entries(config.vars ?? {})) {
    vars[name] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return {
    bundleDir,
    main,
    modules,
    bundleBytes: contents.reduce((sum, bytes) => sum + bytes.length, 0),
    bundleGzipBytes: contents.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0),
    ...(config.assets?.directory ? { assetsDir: resolve(stage, config.assets.directory) } : {}),
    compatibilityDate: config.compatibility_date ?? new Date().toISOString().slice(0, 10),
    compatibilityFlags: config.compatibility_flags ?? [],
    vars,
    buildMs,
    ...(Number.isFinite(peakKib) ? { buildPeakRssBytes: peakKib * 1024 } : {}),
  }
}

/** A Cap'n Proto text literal (workerd's config language). */
function capnpText(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** workerd's module kind per file extension: wrangler's default module rules (.wasm, .bin, .txt). */
const MODULE_KINDS: Record<string, string> = { '.wasm': 'wasm', '.bin': 'data', '.txt': 'text' }

function moduleEntry(file: string): string {
  const kind = MODULE_KINDS[extname(file)] ?? 'esModule'
  return `(name = ${capnpText(file)}, ${kind} = embed ${capnpText(file)})`
}

/** File name of the generated asset worker, next to the config (see asset-server.ts). */
const ASSET_WORKER = 'asset-worker.js'

/**
 * The workerd config serving `worker` on `port`. With `assetsAddress`, the
 * worker's ASSETS binding goes to the asset layer listening there (see
 * writeAssetsConfig). Exported for tools that run workerd their own way.
 */
export function writeWorkerdConfig(
  worker: Pick<BuiltWorker, 'modules' | 'compatibilityDate' | 'compatibilityFlags'>,
  options: { port: number; vars?: Record<string, string>; assetsAddress?: string },
): string {
  const bindings = Object.entries(options.vars ?? {}).map(
    ([name, value]) => `(name = ${capnpText(name)}, text = ${capnpText(value)})`,
  )
  const services = ['(name = "main", worker = .worker)']
  if (options.assetsAddress) {
    bindings.push('(name = "ASSETS", service = "assets")')
    services.push(
      `(name = "assets", external = (address = ${capnpText(options.assetsAddress)}, http = ()))`,
    )
  }
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ${services.join(',\n    ')}
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:${options.port}", http = (), service = "main")
  ],
);

const worker :Workerd.Worker = (
  modules = [
    ${worker.modules.map(moduleEntry).join(',\n    ')}
  ],
  compatibilityDate = ${capnpText(worker.compatibilityDate)},
  compatibilityFlags = [${worker.compatibilityFlags.map(capnpText).join(', ')}],
  bindings = [
    ${bindings.join(',\n    ')}
  ],
);
`
}

/**
 * The workerd config of the asset layer on `port`: workerd's disk service
 * over the folder, behind the asset worker (written next to the config, see
 * asset-server.ts).
 */
function writeAssetsConfig(
  worker: Pick<BuiltWorker, 'compatibilityDate'>,
  options: { port: number; assetsDir: string },
): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "assets-disk", disk = (path = ${capnpText(options.assetsDir)}, writable = false)),
    (name = "assets", worker = .assetWorker)
  ],
  sockets = [
    (name = "assets", address = "127.0.0.1:${options.port}", http = (), service = "assets")
  ],
);

const assetWorker :Workerd.Worker = (
  modules = [(name = "${ASSET_WORKER}", esModule = embed "${ASSET_WORKER}")],
  compatibilityDate = ${capnpText(worker.compatibilityDate)},
  bindings = [(name = "DISK", service = "assets-disk")],
);
`
}

/** Resident memory of a process, from /proc (Linux). */
export interface ProcessMemory {
  /** Resident set size now, in bytes (VmRSS). */
  rssBytes: number
  /** Highest resident set size so far, in bytes (VmHWM). */
  peakRssBytes: number
}

/** Reads a process's resident memory from /proc/PID/status. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return { rssBytes: kib('VmRSS') * 1024, peakRssBytes: kib('VmHWM') * 1024 }
}

/**
 * CPU time a process has used so far, in ms: the sum over its threads of the
 * time each spent running, from /proc/PID/task/TID/schedstat, which counts in
 * nanoseconds (the clock ticks of /proc/PID/stat are 10 ms, too coarse for
 * per-request figures). Threads that have exited are no longer counted.
 */
export async function readProcessCpuMs(pid: number): Promise<number> {
  let nanoseconds = 0
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8').catch(() => '0')
    nanoseconds += Number(stat.split(' ')[0])
  }
  return nanoseconds / 1e6
}

/** A running workerd serving one worker. */
export interface WorkerdServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `http://127.0.0.1:ASSETS_PORT`, when assetsPort was given and the worker has assets. */
  assetsUrl?: string
  pid: number
  /**
   * ms from spawning workerd until its socket accepted connections and its CPU
   * went quiet: the worker's global scope evaluated (see startWorkerd).
   */
  startupMs: number
  /** CPU workerd used in that time, ms. */
  startupCpuMs: number
  /** The workerd process's resident memory now. */
  memory(): Promise<ProcessMemory>
  /** CPU time the worker's workerd has used so far, in ms (the asset layer's is apart). */
  cpuMs(): Promise<number>
  /** CPU time the asset layer's workerd has used so far, in ms; 0 without assets. */
  assetsCpuMs(): Promise<number>
  /**
   * The worker isolate's V8 heap after a garbage collection, in bytes, from
   * the inspector protocol (Runtime.getHeapUsage): what the 128 MB memory
   * limit is about. Needs `inspectorPort`.
   */
  heapUsage(): Promise<{ usedBytes: number; totalBytes: number }>
  /** Stops workerd and waits for it to exit. */
  stop(): Promise<void>
}

export interface ServeOptions {
  port: number
  /** Also serve the static assets alone on this port (what Cloudflare answers before the worker runs). */
  assetsPort?: number
  /** Open workerd's inspector on this port, for heapUsage(). */
  inspectorPort?: number
  /** Bindings as text vars; default: the worker's [vars] from wrangler.toml. */
  vars?: Record<string, string>
  /** Where the config is written; default: next to the bundle. */
  configDir?: string
  /** ms to wait for the socket; default 30 s. */
  timeoutMs?: number
  /** Pass workerd's output through to stderr. */
  verbose?: boolean
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}

/** The workerd binary that wrangler itself runs (the `workerd` npm package). */
export function workerdBinary(): string {
  return require.resolve('workerd/bin/workerd')
}

/** A workerd process serving one config. */
interface WorkerdProcess {
  pid: number
  /** ms from spawning until its sockets accepted a connection and its CPU went quiet. */
  readyMs: number
  /** CPU it used from spawning until then, ms. */
  readyCpuMs: number
  stop(): Promise<void>
}

/**
 * How long workerd's CPU must stay quiet after its socket opens before it
 * counts as started: workerd listens before it has finished evaluating the
 * workers' modules (a module whose global scope burns 300 ms of CPU still
 * burns it after the socket accepts connections), and Cloudflare counts a
 * worker's global scope against its startup limit, not against the first
 * request. Three 40 ms windows with under 0.3 ms of CPU each.
 */
const QUIET_WINDOW_MS = 40
const QUIET_WINDOWS = 3
const QUIET_CPU_MS = 0.3

/** Spawns workerd on a config and waits until it listens on `port` and has gone quiet. */
async function startWorkerd(
  configPath: string,
  port: number,
  options: { timeoutMs: number; verbose?: boolean; inspectorPort?: number },
): Promise<WorkerdProcess> {
  const started = performance.now()
  const inspector =
    options.inspectorPort === undefined
      ? []
      : [`--inspector-addr=127.0.0.1:${options.inspectorPort}`]
  const child = spawn(workerdBinary(), ['serve', basename(configPath), ...inspector], {
    cwd: dirname(configPath),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString()
    if (options.verbose) process.stderr.write(chunk)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  let running = true
  void exited.then(() => {
    running = false
  })
  const stop = async () => {
    if (!running) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = started + options.timeoutMs
  const fail = async (why: string) => {
    child.kill('SIGKILL')
    await exited
    return new Error(
      `[workerd-server] workerd ${why} on 127.0.0.1:${port}:\n${output || '(no output)'}`,
    )
  }
  while (!(await canConnect(port))) {
    if (!running || performance.now() > deadline) throw await fail('did not start')
    await sleep(5)
  }
  const pid = child.pid
  if (pid === undefined) throw await fail('has no process id')
  let cpu = await readProcessCpuMs(pid)
  for (let quiet = 0; quiet < QUIET_WINDOWS; ) {
    if (!running || performance.now() > deadline) throw await fail('did not settle')
    await sleep(QUIET_WINDOW_MS)
    const now = await readProcessCpuMs(pid)
    quiet = now - cpu < QUIET_CPU_MS ? quiet + 1 : 0
    cpu = now
  }
  // The quiet windows themselves are not startup.
  return {
    pid,
    readyMs: performance.now() - started - QUIET_WINDOWS * QUIET_WINDOW_MS,
    readyCpuMs: cpu,
    stop,
  }
}

/**
 * Serves a built worker with workerd on 127.0.0.1:port until stop() is called.
 * Its static assets are served by a second workerd process, bound to the
 * worker as an external service: on Cloudflare the asset layer is a service of
 * its own, whose CPU is not the worker's, so the worker's process measures
 * the worker alone.
 */
export async function serveWorker(
  worker: BuiltWorker,
  options: ServeOptions,
): Promise<WorkerdServer> {
  if (await canConnect(options.port)) {
    throw new Error(
      `[workerd-server] 127.0.0.1:${options.port} is already in use. Pick a free port`,
    )
  }
  const configDir = options.configDir ?? worker.bundleDir
  const timeoutMs = options.timeoutMs ?? 30_000
  let assets: (WorkerdProcess & { port: number }) | undefined
  if (worker.assetsDir) {
    const port = options.assetsPort ?? (await freePort())
    await writeFile(
      join(configDir, ASSET_WORKER),
      assetWorkerSource(await readHeaderRules(worker.assetsDir)),
    )
    const configPath = join(configDir, `workerd-assets-${port}.capnp`)
    await writeFile(configPath, writeAssetsConfig(worker, { port, assetsDir: worker.assetsDir }))
    assets = {
      port,
      ...(await startWorkerd(configPath, port, {
        timeoutMs,
        ...(options.verbose ? { verbose: true } : {}),
      })),
    }
  }
  const configPath = join(configDir, `workerd-${options.port}.capnp`)
  await writeFile(
    configPath,
    writeWorkerdConfig(
      {
        ...worker,
        modules: worker.modules.map((file) => relative(configDir, join(worker.bundleDir, file))),
      },
      {
        port: options.port,
        vars: options.vars ?? worker.vars,
        ...(assets ? { assetsAddress: `127.0.0.1:${assets.port}` } : {}),
      },
    ),
  )
  let main: WorkerdProcess
  try {
    main = await startWorkerd(configPath, options.port, {
      timeoutMs,
      ...(options.verbose ? { verbose: true } : {}),
      ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    })
  } catch (error) {
    await assets?.stop()
    throw error
  }
  const { pid } = main
  return {
    url: `http://127.0.0.1:${options.port}`,
    ...(assets && options.assetsPort !== undefined
      ? { assetsUrl: `http://127.0.0.1:${options.assetsPort}` }
      : {}),
    pid,
    startupMs: main.readyMs,
    startupCpuMs: main.readyCpuMs,
    memory: () => readProcessMemory(pid),
    cpuMs: () => readProcessCpuMs(pid),
    assetsCpuMs: () => (assets ? readProcessCpuMs(assets.pid) : Promise.resolve(0)),
    heapUsage: () => {
      if (options.inspectorPort === undefined) {
        return Promise.reject(
          new Error('[workerd-server] heapUsage: start the server with inspectorPort'),
        )
      }
      return readHeapUsage(options.inspectorPort)
    },
    async stop() {
      await Promise.all([main.stop(), assets?.stop()])
    },
  }
}

/** Asks workerd's inspector (Chrome DevTools Protocol) for the main worker's heap usage. */
async function readHeapUsage(port: number): Promise<{ usedBytes: number; totalBytes: number }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl?: string
    id?: string
  }[]
  const target = targets.find((entry) => entry.id === 'main') ?? targets[0]
  const address = target?.webSocketDebuggerUrl ?? `ws://127.0.0.1:${port}/main`
  const socket = new WebSocket(address)
  try {
    await new Promise((done, fail) => {
      socket.addEventListener('open', done, { once: true })
      socket.addEventListener(
        'error',
        () => fail(new Error(`[workerd-server] ${address}: no inspector`)),
        { once: true },
      )
    })
    const answer = new Promise<{ usedSize: number; totalSize: number }>((done, fail) => {
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number
          result?: { usedSize: number; totalSize: number }
          error?: { message: string }
        }
        if (message.id !== 2) return
        if (message.result) done(message.result)
        else fail(new Error(`[workerd-server] Runtime.getHeapUsage: ${message.error?.message}`))
      })
    })
    // Collect garbage first, so that the figure is what the isolate keeps, not what it left behind.
    socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }))
    socket.send(JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }))
    const usage = await answer
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize }
  } finally {
    socket.close()
  }
}

/** What measureFolder found. */
export interface FolderSize {
  files: number
  bytes: number
  /** The largest file, its path relative to the folder; null when there is none. */
  largest: { path: string; bytes: number } | null
  /** Files larger than `overBytes` (paths relative to the folder), when it was given. */
  over: string[]
}

/** Size in bytes of every file under a folder, how many there are, and the largest. */
export async function measureFolder(
  folder: string,
  options: { overBytes?: number } = {},
): Promise<FolderSize> {
  const size: FolderSize = { files: 0, bytes: 0, largest: null, over: [] }
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const bytes = (await stat(path)).size
    size.files++
    size.bytes += bytes
    if (!size.largest || bytes > size.largest.bytes)
      size.largest = { path: relative(folder, path), bytes }
    if (options.overBytes !== undefined && bytes > options.overBytes)
      size.over.push(relative(folder, path))
  }
  return size
}
