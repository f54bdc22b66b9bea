import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDevOrigin } from '../../scripts/seeds-folder.ts'

/** The address `npm run new` and `npm run import` print: where `npm run dev` really serves. */

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dev-origin-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function originWith(toml: string, env: Record<string, string> = {}): Promise<string> {
  await writeFile(join(folder, 'wrangler.toml'), toml)
  return readDevOrigin(join(folder, 'wrangler.toml'), env)
}

describe('the dev origin', () => {
  it("is wrangler's default without a [dev] port", async () => {
    expect(await originWith('name = "x"\n')).toBe('http://localhost:8787')
    expect(await readDevOrigin(join(folder, 'missing.toml'), {})).toBe('http://localhost:8787')
  })

  it('follows [dev] in wrangler.toml', async () => {
    expect(await originWith('[dev]\nport = 8790\n')).toBe('http://localhost:8790')
    expect(await originWith('[dev]\nport = 8790\nip = "127.0.0.1"\n')).toBe('http://127.0.0.1:8790')
    expect(await originWith('[dev]\nip = "0.0.0.0"\nlocal_protocol = "https"\n')).toBe(
      'https://localhost:8787',
    )
  })

  it('takes DEV_PORT over wrangler.toml, as npm run dev does', async () => {
    expect(await originWith('[dev]\nport = 8790\n', { DEV_PORT: '9000' })).toBe(
      'http://localhost:9000',
    )
    expect(await originWith('[dev]\nport = 8790\n', { DEV_PORT: 'eighty' })).toBe(
      'http://localhost:8790',
    )
  })
})
