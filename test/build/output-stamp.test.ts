import { describe, expect, it } from 'vitest'
import { type OutputInputs, outputKey } from '../../src/build/output-stamp.ts'
import { readSiteConfig } from '../../src/site/site-config.ts'
import { compileFixture, markdownArticle, NOW } from '../support/fixtures.ts'

/**
 * The key that says a build's output is still right: it changes with
 * everything the output depends on, and only with that.
 */

const DAY = 24 * 60 * 60 * 1000
const content = compileFixture({
  'past.md': markdownArticle({ title: 'Past', date: '2025-05-01', summary: 'Past.' }),
  'soon.md': markdownArticle({ title: 'Soon', date: '2025-06-03', summary: 'Soon.' }),
  'later.md': markdownArticle({ title: 'Later', date: '2025-06-10', summary: 'Later.' }),
})
const base: OutputInputs = {
  code: 'code-1',
  content,
  site: readSiteConfig({ SITE_URL: 'https://news.example' }),
  headers: '/articles/*\n  X-Content-Type-Options: nosniff\n',
  files: new Map([['/favicon.ico', new Uint8Array([1, 2, 3])]]),
  now: NOW,
}

describe('the output key', () => {
  it('is the same for the same inputs, whenever the build runs while the same articles are scheduled', () => {
    expect(outputKey(base)).toBe(outputKey({ ...base, files: new Map(base.files) }))
    expect(outputKey({ ...base, now: NOW + 1000 })).toBe(outputKey(base))
  })

  it('changes with the code, the content, the settings, the headers and the other files', () => {
    const key = outputKey(base)
    expect(outputKey({ ...base, code: 'code-2' })).not.toBe(key)
    expect(outputKey({ ...base, content: { ...content, version: 'other' } })).not.toBe(key)
    expect(
      outputKey({ ...base, site: readSiteConfig({ SITE_URL: 'https://other.example' }) }),
    ).not.toBe(key)
    expect(outputKey({ ...base, headers: `${base.headers}  X-Other: 1\n` })).not.toBe(key)
    expect(
      outputKey({ ...base, files: new Map([['/favicon.ico', new Uint8Array([1, 2, 4])]]) }),
    ).not.toBe(key)
    expect(
      outputKey({ ...base, files: new Map([['/other.ico', new Uint8Array([1, 2, 3])]]) }),
    ).not.toBe(key)
  })

  it('takes a seeds file it copies by its stamp, which changes when the file does', () => {
    const stamp = { size: 3, mtimeNs: '1000', ctimeNs: '1000', ino: '7' }
    const photo = (changed: Partial<typeof stamp>) =>
      outputKey({
        ...base,
        files: new Map([
          ['/pics/photo.jpg', { source: '/seeds/pics/photo.jpg', stamp: { ...stamp, ...changed } }],
        ]),
      })
    const key = photo({})
    expect(photo({})).toBe(key)
    for (const changed of [{ size: 4 }, { mtimeNs: '2000' }, { ctimeNs: '2000' }, { ino: '8' }])
      expect(photo(changed)).not.toBe(key)
  })

  it('changes when a scheduled article comes due, since a new build would publish it in view 0', () => {
    const keys = [NOW, NOW + 3 * DAY, NOW + 10 * DAY].map((now) => outputKey({ ...base, now }))
    expect(new Set(keys).size).toBe(3)
  })
})
