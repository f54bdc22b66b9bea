import { describe, expect, it } from 'vitest'
import { stripXmlForbidden, utf8Length } from '../../src/site/text.ts'

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

describe('stripXmlForbidden', () => {
  it('removes what XML 1.0 forbids and keeps everything else, pairs of surrogates included', () => {
    // C0 controls but tab, LF, CR; lone surrogates either way round; U+FFFE and U+FFFF.
    const forbidden = '\u0000\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF\uDFFF\uD800'
    expect(stripXmlForbidden(`a${forbidden}b`)).toBe('ab')
    expect(stripXmlForbidden('\uDC00\uD83D\uDE00\uD83D')).toBe('\uD83D\uDE00')
    const allowed = 'tab\there\nline\r\n“quotes” — emoji 😀 \uE000 \uFFFD'
    expect(stripXmlForbidden(allowed)).toBe(allowed)
    // Text with nothing to remove comes back as it is.
    const plain = '<p>Harbour reopens</p>'
    expect(stripXmlForbidden(plain)).toBe(plain)
  })
})
