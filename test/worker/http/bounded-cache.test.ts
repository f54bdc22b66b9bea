import { describe, expect, it } from 'vitest'
import { BoundedCache } from '../../../src/worker/http/bounded-cache.ts'

describe('the bounded cache', () => {
  it('keeps bytes under its bound, dropping the oldest and never the one just stored', () => {
    const cache = new BoundedCache<string>(1000, 100)
    cache.set('a', 'x', 60)
    cache.set('b', 'y', 60)
    expect(cache.has('a')).toBe(false)
    expect(cache.get('b')).toBe('y')
    cache.set('c', 'z', 500)
    expect(cache.get('c')).toBe('z')
    expect(cache.has('b')).toBe(false)
  })

  it('keeps entries under its bound', () => {
    const cache = new BoundedCache<number>(2, 1_000_000)
    for (let i = 0; i < 5; i++) cache.set(String(i), i, 1)
    expect(cache.size).toEqual({ entries: 2, bytes: 2 })
    expect(cache.get('4')).toBe(4)
  })
})
