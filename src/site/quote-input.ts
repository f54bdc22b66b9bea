/**
 * Client input repeated in a message (a 400's body names the value it
 * refuses): quoted so that it reads as data and nothing else.
 */

/** Most characters of client input an error message repeats; the rest is cut with `…`. */
export const MAX_QUOTED_CHARACTERS = 64

/**
 * Characters shown as they are: letters and digits of any script, and ASCII
 * punctuation that means nothing in HTML, JSON or a terminal. Everything
 * else — controls (NUL, ESC, CR, LF), bidirectional overrides (U+202E),
 * zero-width characters, quotes and angle brackets — is shown as an escape.
 */
const SHOWN_AS_IS = /^[\p{L}\p{M}\p{N} \-.,_:;/!?()+=@#$%*~^|[\]{}]$/u

function escapeCharacter(character: string): string {
  if (SHOWN_AS_IS.test(character)) return character
  const code = character.codePointAt(0)!
  return code <= 0xffff
    ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `\\u{${code.toString(16).toUpperCase()}}`
}

/**
 * A piece of client input made safe to repeat in an error body: in double
 * quotes, each character outside SHOWN_AS_IS written as a `\uXXXX` escape,
 * at most MAX_QUOTED_CHARACTERS characters of it.
 */
export function quoteInput(input: string): string {
  const characters = [...input]
  const shown = characters.slice(0, MAX_QUOTED_CHARACTERS).map(escapeCharacter).join('')
  return `"${shown}${characters.length > MAX_QUOTED_CHARACTERS ? '…' : ''}"`
}
