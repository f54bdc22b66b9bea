import { baseHeaders } from './respond.ts'

/**
 * Error responses the worker writes itself (400, 405, 412, 413, 414, 431 and
 * the last-resort 500): one plain-text sentence, never cached. Any piece of
 * the request a sentence names goes through quoteInput (site/quote-input.ts),
 * so that it cannot pass for something else.
 */

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
