import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listSeeds } from '../../scripts/seeds-folder.ts'
import type { Problem } from '../../src/contract/problem.ts'

/** The files of a seeds folder as the build, `npm run check`, `new` and `import` see them. */

let folder: string
let outside: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'seeds-folder-'))
  outside = await mkdtemp(join(tmpdir(), 'seeds-outside-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

describe('listing a seeds folder', () => {
  it('names each file by its path under the folder, at any depth, and reads it where it is', async () => {
    await mkdir(join(folder, '2024', 'march'), { recursive: true })
    await writeFile(join(folder, 'top.md'), 'a')
    await writeFile(join(folder, '2024', 'march', 'harbour.md'), 'b')
    await writeFile(join(folder, '2024', 'notes.txt'), 'c')
    const files = await listSeeds(folder, [])
    expect(files.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: '2024/march/harbour.md', source: join(folder, '2024', 'march', 'harbour.md') },
      { path: '2024/notes.txt', source: join(folder, '2024', 'notes.txt') },
      { path: 'top.md', source: join(folder, 'top.md') },
    ])
  })

  it('skips hidden files and folders, and names a file with no name in its folder', async () => {
    await mkdir(join(folder, '.drafts'))
    await mkdir(join(folder, 'desk'))
    await writeFile(join(folder, '.drafts', 'secret.md'), 'a')
    await writeFile(join(folder, 'desk', '.hidden.md'), 'b')
    await writeFile(join(folder, 'desk', '..md'), 'c')
    const problems: Problem[] = []
    expect(await listSeeds(folder, problems)).toEqual([])
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'desk/..md',
        field: 'file',
        message: expect.stringMatching(/no name/),
      }),
    ])
  })

  it('takes a link to a file of the folder as that file, and names a link that leads out', async () => {
    await mkdir(join(folder, 'desk'))
    await writeFile(join(folder, 'desk', 'real.md'), 'a')
    await writeFile(join(outside, 'stray.md'), 'b')
    await symlink(join(folder, 'desk', 'real.md'), join(folder, 'desk', 'alias.md'))
    await symlink(join(outside, 'stray.md'), join(folder, 'desk', 'stray.md'))
    const problems: Problem[] = []
    const files = await listSeeds(folder, problems)
    expect(files.find((file) => file.path === 'desk/alias.md')?.source).toMatch(/real\.md$/)
    expect(files.some((file) => file.path === 'desk/stray.md')).toBe(false)
    expect(problems).toEqual([
      expect.objectContaining({ file: 'desk/stray.md', message: expect.stringMatching(/outside/) }),
    ])
  })
})
