import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { homedir, hostname, tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

/** What ships carries articles, never the machine that built them. */

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '')
const TSX = join(ROOT, 'node_modules/.bin/tsx')

describe('the compiled content', () => {
  it('holds no absolute path, home folder, host name or environment of the build machine', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'machine-details-'))
    try {
      const out = join(folder, 'content.js')
      await promisify(execFile)(TSX, ['scripts/build-content.ts', '--out', out, '--quiet'], {
        cwd: ROOT,
      })
      const compiled = await readFile(out, 'utf8')
      // A short host name ("ci", "box") could be an ordinary word of an article.
      const host = hostname().length >= 8 ? [hostname()] : []
      for (const detail of [ROOT, folder, homedir(), `/${userInfo().username}/`, ...host]) {
        expect(compiled).not.toContain(detail)
      }
      expect(compiled).not.toMatch(/process\.env|node_modules|file:\/\//)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
