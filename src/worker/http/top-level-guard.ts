import { plainErrorResponse } from './error-bodies.ts'

/**
 * The last line of defence: whatever a handler throws or rejects with becomes
 * a logged, plain 500 that says nothing about the cause. Every request the
 * tests and the fuzzer send is answered before it gets here (they assert no
 * 500 and no log line); it exists so that a bug still gives the client a
 * well-formed, uncached answer instead of the runtime's own error page.
 */

/** The log line's prefix, so that tests and log searches can find it. */
export const UNHANDLED_ERROR_LOG = '[http] unhandled error'

type FetchHandler<E, C> = (request: Request, env: E, context: C) => Response | Promise<Response>

/** Reads the path for the log without trusting the URL to parse. */
function pathForLog(request: Request): string {
  return (URL.parse(request.url)?.pathname ?? request.url).slice(0, 200)
}

function unhandled(request: Request, error: unknown): Response {
  // The message can hold file paths or request data; it goes to the log, never to the client.
  console.error(UNHANDLED_ERROR_LOG, request.method, pathForLog(request), error)
  return plainErrorResponse(
    request.method,
    500,
    'Something went wrong on our side. Please try again later.',
  )
}

/**
 * Wraps a fetch handler so that no exception leaves it. An answer the
 * handler has at once is returned at once, not wrapped in a promise: most
 * requests are answered from memory (response-memo.ts), and workerd takes a
 * Response sooner than a promise of one.
 */
export function guardFetch<E, C>(handler: FetchHandler<E, C>): FetchHandler<E, C> {
  return (request, env, context) => {
    try {
      const answer = handler(request, env, context)
      return answer instanceof Response
        ? answer
        : Promise.resolve(answer).catch((error: unknown) => unhandled(request, error))
    } catch (error) {
      return unhandled(request, error)
    }
  }
}
