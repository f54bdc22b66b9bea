import { describe, expect, it } from 'vitest'
import {
  createRepresentation,
  RepresentationCache,
} from '../../../src/worker/http/representation.ts'

describe('the representation memo', () => {
  it('keeps body bytes under its bound, dropping the oldest and never the one just made', async () => {
    const cache = new RepresentationCache(1000, 100)
    const made: string[] = []
    const get = (key: string) =>
      cache.get(key, () => {
        made.push(key)
        return createRepresentation('x'.repeat(60), 'text/plain')
      })
    await get('a')
    await get('a')
    await get('b')
    await get('b')
    await get('a')
    expect(made).toEqual(['a', 'b', 'a'])
  })
})
