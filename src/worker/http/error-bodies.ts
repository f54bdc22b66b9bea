import { baseHeaders } from './respond.ts'

/**
 * Error responses the worker writes itself (400, 405, 412, 413, 414, 431 and
 * the last-resort 500): one plain-text sentence, never cached, and any piece
 * of the request it names quoted so that it cannot pass for something else.
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

/** A plain-text error response, never cached; HEAD gets the headers alone. */
export function plainErrorResponse(
  method: string,
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const headers = baseHeaders('asset')
  headers.set('Content-Type', 'text/plain; charset=utf-8')
  headers.set('Cache-Control', 'no-store')
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value)
  return new Response(method === 'HEAD' ? null : `${message}\n`, { status, headers })
}
