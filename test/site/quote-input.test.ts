import { describe, expect, it } from 'vitest'
import { MAX_QUOTED_CHARACTERS, quoteInput } from '../../src/site/quote-input.ts'

describe('quoteInput', () => {
  it('shows letters, digits and harmless punctuation of any script as they are', () => {
    expect(quoteInput('economy-2024')).toBe('"economy-2024"')
    expect(quoteInput('日本語 ü')).toBe('"日本語 ü"')
  })

  it('escapes controls, bidirectional and zero-width characters, quotes and markup', () => {
    expect(quoteInput('a\u0000b\u001b[31m\r\n')).toBe('"a\\u0000b\\u001B[31m\\u000D\\u000A"')
    expect(quoteInput('\u202Eexe.txt\u2066\u200B')).toBe('"\\u202Eexe.txt\\u2066\\u200B"')
    expect(quoteInput('"<script>\'`&\\')).toBe(
      '"\\u0022\\u003Cscript\\u003E\\u0027\\u0060\\u0026\\u005C"',
    )
    expect(quoteInput('😀')).toBe('"\\u{1F600}"')
  })

  it('caps what it repeats', () => {
    const quoted = quoteInput('x'.repeat(10_000))
    expect(quoted).toBe(`"${'x'.repeat(MAX_QUOTED_CHARACTERS)}…"`)
  })
})
