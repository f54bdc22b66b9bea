import { spawn } from 'node:child_process'
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BUILD_LOCK_FILE, withBuildLock } from '../../scripts/lib/build-lock.ts'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'build-lock-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

const lockPath = () => join(folder, BUILD_LOCK_FILE)
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

/** A process that stands for another build: it runs until it is told to stop. */
function otherBuild() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return { pid: child.pid!, stop: () => child.kill(), exited }
}

describe('one content build at a time per output folder', () => {
  it('waits while another running build holds the lock, says so once, then builds', async () => {
    const other = otherBuild()
    await writeFile(lockPath(), String(other.pid))
    const said: string[] = []
    let otherRunning = true
    void other.exited.then(() => {
      otherRunning = false
    })
    const build = withBuildLock(
      folder,
      async () => {
        expect(await exists(lockPath())).toBe(true)
        return otherRunning
      },
      (line) => said.push(line),
    )
    // Still waiting after a few polls.
    await new Promise((done) => setTimeout(done, 500))
    expect(said).toEqual([expect.stringContaining('waiting for the build that holds')])
    other.stop()
    expect(await build).toBe(false)
    expect(await exists(lockPath())).toBe(false)
  })

  it('takes over the lock of a build that stopped without releasing it', async () => {
    const other = otherBuild()
    other.stop()
    await other.exited
    await writeFile(lockPath(), String(other.pid))
    const said: string[] = []
    expect(
      await withBuildLock(
        folder,
        async () => 'built',
        (line) => said.push(line),
      ),
    ).toBe('built')
    expect(said).toEqual([])
  })

  it('releases the lock when the build fails', async () => {
    await expect(
      withBuildLock(
        folder,
        async () => {
          throw new Error('broken')
        },
        () => undefined,
      ),
    ).rejects.toThrow('broken')
    expect(await exists(lockPath())).toBe(false)
  })
})
