import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomically, writeFileAtomicallySync } from '../../src/build/atomic-file.ts'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atomic-file-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('writing a file whole', () => {
  it('writes a new file, making its folder, and replaces an old one with a new file', async () => {
    const path = join(folder, 'deep', 'record.json')
    await writeFileAtomically(path, 'first')
    expect(await readFile(path, 'utf8')).toBe('first')
    const before = await stat(path)
    await writeFileAtomically(path, new TextEncoder().encode('second'))
    expect(await readFile(path, 'utf8')).toBe('second')
    // A new file renamed over the old one: a reader holding the old one still reads it whole.
    expect((await stat(path)).ino).not.toBe(before.ino)
    expect(await readdir(join(folder, 'deep'))).toEqual(['record.json'])
  })

  it('leaves a file holding the same bytes as it is when asked to', async () => {
    const path = join(folder, 'content.js')
    await writeFileAtomically(path, 'export default 1\n')
    const before = await stat(path)
    await writeFileAtomically(path, 'export default 1\n', { unlessSame: true })
    const after = await stat(path)
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs])
    await writeFileAtomically(path, 'export default 2\n', { unlessSame: true })
    expect(await readFile(path, 'utf8')).toBe('export default 2\n')
  })

  it('keeps the old file and leaves no temporary file behind when the write fails', async () => {
    // A folder where the file should go: the rename over it fails.
    const path = join(folder, 'taken')
    await mkdir(path)
    await writeFile(join(path, 'inside'), 'old')
    await expect(writeFileAtomically(path, 'new')).rejects.toThrow()
    expect(() => writeFileAtomicallySync(path, 'new')).toThrow()
    expect(await readdir(folder)).toEqual(['taken'])
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('old')
  })

  it('writes synchronously the same way', async () => {
    const path = join(folder, 'index.bin')
    writeFileAtomicallySync(path, 'one')
    writeFileAtomicallySync(path, 'two')
    expect(await readFile(path, 'utf8')).toBe('two')
    expect(await readdir(folder)).toEqual(['index.bin'])
  })
})
