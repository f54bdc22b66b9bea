import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkedLockKey, readCheckedLock, writeCheckedLock } from '../../src/build/checked-lock.ts'
import { compileContent } from '../../src/build/content/compile-content.ts'
import { formatLock, parseLock, updateLock } from '../../src/build/content/published-lock.ts'
import { markdownArticle, NEWSROOM } from '../support/fixtures.ts'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'checked-lock-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function compile(files: Record<string, string>) {
  const encoder = new TextEncoder()
  const result = compileContent(
    Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })),
  )
  if (!result.ok) throw new Error('the fixture does not compile')
  return result
}

const LOCK = `${JSON.stringify({ published: [], retired: [] }, null, 2)}\n`

describe('the key of a lock check', () => {
  it('is the same for the same lock and articles, and changes with what the check reads', () => {
    const base = compile(NEWSROOM)
    const key = checkedLockKey(LOCK, base.content, base.files)
    // The same articles compiled again; an edit to a body the lock does not record.
    expect(checkedLockKey(LOCK, compile(NEWSROOM).content, base.files)).toBe(key)
    const [name, text] = Object.entries(NEWSROOM)[0]!
    const body = compile({ ...NEWSROOM, [name]: `${text}\nOne more line.\n` })
    expect(checkedLockKey(LOCK, body.content, body.files)).toBe(key)

    const changed = [
      checkedLockKey(undefined, base.content, base.files),
      checkedLockKey(LOCK.replace('"retired": []', '"retired": [ ]'), base.content, base.files),
    ]
    // An article's slug, its old URLs, its id, its file.
    const variants: Record<string, string>[] = [
      { ...NEWSROOM, [name]: text.replace('---\n', '---\nslug: moved\n') },
      { ...NEWSROOM, [name]: text.replace('---\n', '---\nredirect_from: [/articles/old/]\n') },
      {
        ...NEWSROOM,
        [name]: text.replace('---\n', '---\nid: urn:uuid:00000000-0000-4000-8000-00000000000a\n'),
      },
    ]
    for (const files of variants) {
      const result = compile(files)
      changed.push(checkedLockKey(LOCK, result.content, result.files))
    }
    changed.push(
      checkedLockKey(LOCK, base.content, {
        ...base.files,
        [base.content.articles[0]!.id]: 'elsewhere.md',
      }),
    )
    expect(new Set([key, ...changed]).size).toBe(changed.length + 1)
  })
})

describe('the kept lock check', () => {
  const lockOf = () => {
    const result = compile({ 'a.md': markdownArticle({ title: 'A', date: '2024-01-01' }) })
    const lock = parseLock(LOCK)
    if ('field' in lock) throw new Error('the lock does not parse')
    const checked = updateLock(lock, result.content, result.files)
    if (!checked.ok) throw new Error('the check fails')
    return {
      text: formatLock(checked.lock),
      key: checkedLockKey(LOCK, result.content, result.files),
    }
  }

  it('gives the text kept under the key asked for, and nothing under another', async () => {
    const path = join(folder, 'cache/checked-lock')
    const { text, key } = lockOf()
    await writeCheckedLock(path, key, text)
    expect(await readCheckedLock(path, key)).toBe(text)
    expect(
      await readCheckedLock(
        path,
        key.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toBe(undefined)
    expect(await readCheckedLock(join(folder, 'none'), key)).toBe(undefined)
  })

  it('is not used when damaged: a changed byte, a cut file, another layout', async () => {
    const path = join(folder, 'checked-lock')
    const { text, key } = lockOf()
    await writeCheckedLock(path, key, text)
    const whole = await readFile(path, 'utf8')
    for (const damaged of [
      whole.replace('/articles/a/', '/articles/b/'),
      whole.slice(0, -10),
      whole.replace('checked-lock 1', 'checked-lock 0'),
      whole.replace('\n', ' '),
      '',
    ]) {
      await writeFile(path, damaged)
      expect(await readCheckedLock(path, key)).toBe(undefined)
    }
  })
})
