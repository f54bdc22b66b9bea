import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { markdownArticle, NEWSROOM } from '../support/fixtures.ts'
import { type RecordingHub, startHub } from '../support/hub.ts'

const run = promisify(execFile)
const SCRIPT = new URL('../../scripts/notify.ts', import.meta.url).pathname
const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
const NOW = '2025-06-01T12:00:00Z'

let folder: string
let hub: RecordingHub
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'notify-'))
  hub = await startHub()
})
afterEach(async () => {
  await hub.close()
  await rm(folder, { recursive: true, force: true })
})

/** "Deploys" some articles: makes them the seeds folder, which the script compiles. */
async function deploy(files: Record<string, string>): Promise<void> {
  const seeds = join(folder, 'seeds')
  await rm(seeds, { recursive: true, force: true })
  await mkdir(seeds)
  for (const [name, text] of Object.entries(files)) await writeFile(join(seeds, name), text)
}

async function notify(options: { now?: string; hub?: string; timeoutMs?: number } = {}) {
  const { stdout, stderr } = await run(
    TSX,
    [
      SCRIPT,
      '--seeds',
      join(folder, 'seeds'),
      '--cache',
      join(folder, 'cache'),
      '--record',
      join(folder, 'notified.json'),
      '--config',
      join(folder, 'none.toml'),
      '--now',
      options.now ?? NOW,
      '--timeout-ms',
      String(options.timeoutMs ?? 5000),
    ],
    {
      cwd: new URL('../..', import.meta.url).pathname,
      // worker-configuration.d.ts types process.env with wrangler.toml's literal values.
      env: {
        ...process.env,
        SITE_URL: 'https://news.example.com',
        WEBSUB_HUB_URL: options.hub ?? hub.url,
      } as Record<string, string> as NodeJS.ProcessEnv,
    },
  )
  return { stdout, stderr }
}

const feeds = (...folders: string[]) =>
  folders.flatMap((f) =>
    ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `https://news.example.com/${f}${file}`),
  )

function pinged(): string[] {
  return hub.pings.map((ping) => ping['hub.url']!)
}

describe('npm run notify', () => {
  it('pings every visible feed on the first deploy, and nothing when run again', async () => {
    await deploy(NEWSROOM)
    const first = await notify()
    expect(first.stdout).toContain('9 feeds changed, notified')
    expect(pinged()).toEqual(feeds('', 'topics/economy/', 'topics/shipping/'))
    expect(hub.pings.every((ping) => ping['hub.mode'] === 'publish')).toBe(true)
    const again = await notify()
    expect(again.stdout).toContain('nothing changed')
    expect(hub.pings).toHaveLength(9)
  })

  it('pings exactly the feeds a deploy changed: edited, added and removed articles', async () => {
    await deploy(NEWSROOM)
    await notify()
    hub.pings.length = 0
    const { 'older.md': _removed, ...rest } = NEWSROOM
    await deploy({
      ...rest,
      'budget.md': markdownArticle(
        { title: 'Budget passes, narrowly', date: '2024-02-15', topics: ['Economy'] },
        'Edited.',
      ),
      'storm.md': markdownArticle({ title: 'Storm', date: '2024-05-01', topics: ['Weather'] }),
      'later.md': markdownArticle({ title: 'Later', date: '2031-01-01', topics: ['Culture'] }),
    })
    await notify()
    expect(pinged()).toEqual(
      feeds('', 'topics/economy/', 'topics/shipping/', 'topics/weather/').sort(),
    )
  })

  it('does not ping again for an article the cron already announced when it became due', async () => {
    await deploy(NEWSROOM)
    await notify()
    hub.pings.length = 0
    // Same deploy, long after NEWSROOM's future article became due: nothing new was deployed.
    await notify({ now: '2030-02-01T00:00:00Z' })
    expect(hub.pings).toHaveLength(0)
  })

  it('does not fail when the hub times out, and pings again on the next run', async () => {
    const slow = await startHub({ delayMs: 30_000 })
    try {
      await deploy(NEWSROOM)
      // The hub never answers in time; the timeout only has to be long enough for every ping
      // to reach it on a loaded machine (the timeout covers connecting too).
      const result = await notify({ hub: slow.url, timeoutMs: 3000 })
      expect(result.stderr).toContain('no answer in 3000 ms')
      expect(result.stderr).toContain('the next run tries again')
      expect(slow.pings).toHaveLength(9)
      await expect(readFile(join(folder, 'notified.json'))).rejects.toThrow()
    } finally {
      await slow.close()
    }
    await notify()
    expect(hub.pings).toHaveLength(9)
  })

  it('refuses a seeds folder that does not build, naming the problem, and pings nothing', async () => {
    await deploy({ ...NEWSROOM, 'broken.md': '---\ntitle: [unclosed\n---\nBody' })
    const failed = await notify().then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toContain('broken.md')
    expect(failed?.stderr).toContain('fix it, deploy, then notify')
    expect(hub.pings).toHaveLength(0)
  })
})
