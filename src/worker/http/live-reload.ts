import { HTML_CONTENT_SECURITY_POLICY } from './respond.ts'

/**
 * Live reload under `npm run dev`. Wrangler's proxy appends one inline
 * script to every HTML response; it opens a WebSocket to
 * /cdn-cgi/live-reload and reloads the page when the worker is rebuilt. The
 * deployed policy refuses both (`script-src 'self'`, and `default-src
 * 'none'` leaves no `connect-src`), so `npm run dev` (scripts/dev.ts) hands
 * the worker and the build the hash of exactly that script, and only then is
 * it allowed: by its hash (CSP Level 3, section 2.3.1, hash-source; no other
 * inline script runs) and a same-origin connection (`'self'` matches `ws:`
 * on the same host, CSP Level 3, section 6.7.2.5). Without the hash, which is
 * every deployed response, the policy is the strict one, unchanged.
 */

/** The variable `npm run dev` sets, `sha256-<base64>`; never set in wrangler.toml. */
export const LIVE_RELOAD_VARIABLE = 'LIVE_RELOAD_SCRIPT_HASH'

const HASH_SOURCE = /^sha256-[A-Za-z0-9+/]{43}=$/

/** The Content-Security-Policy of pages and feeds: the strict one, or in dev the one that also runs live reload. */
export function contentSecurityPolicy(liveReloadScriptHash: string | undefined): string {
  if (!liveReloadScriptHash || !HASH_SOURCE.test(liveReloadScriptHash)) {
    return HTML_CONTENT_SECURITY_POLICY
  }
  const directives = HTML_CONTENT_SECURITY_POLICY.split('; ').map((directive) =>
    directive.startsWith('script-src ') ? `${directive} '${liveReloadScriptHash}'` : directive,
  )
  return [...directives, "connect-src 'self'"].join('; ')
}

type LiveReloadEnv = { [LIVE_RELOAD_VARIABLE]?: string }

/** A worker with a fetch handler, as `export default` has it. */
interface FetchHandler<E> {
  fetch(request: Request, env: E, context: ExecutionContext): Response | Promise<Response>
}

/**
 * The worker, with the live-reload policy on every response that carries a
 * policy when the environment names the script's hash; otherwise each
 * response as the worker made it.
 */
export function allowLiveReload<E, H extends FetchHandler<E>>(worker: H): H {
  const withPolicy = async (hash: string, answer: Response | Promise<Response>) => {
    const response = await answer
    if (!response.headers.has('Content-Security-Policy')) return response
    const allowed = new Response(response.body, response)
    allowed.headers.set('Content-Security-Policy', contentSecurityPolicy(hash))
    return allowed
  }
  return {
    ...worker,
    // Not async: a deployed worker has no hash, and its answers pass through untouched.
    fetch(request: Request, env: E, context: ExecutionContext) {
      const hash = (env as LiveReloadEnv | undefined)?.[LIVE_RELOAD_VARIABLE]
      const answer = worker.fetch(request, env, context)
      return hash ? withPolicy(hash, answer) : answer
    },
  }
}
