import { describe, expect, it } from 'vitest'
import { utf8Length } from '../../src/site/text.ts'

describe('utf8Length', () => {
  it("is the length TextEncoder's bytes have, whatever the characters", () => {
    const texts = [
      '',
      'plain ASCII',
      'café, naïve, Ærø',
      'שלום — “quotes” €',
      '🐟 and 👩‍👩‍👧 emoji',
      'a lone high surrogate \uD83D then text',
      'a lone low surrogate \uDC1F here',
      'ends with a high surrogate \uD83D',
      '\uDC00\uD800 reversed pair',
    ]
    for (const text of texts) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).byteLength)
    }
  })
})
