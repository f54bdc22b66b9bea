import type { Problem } from '../../contract/problem.ts'
import { renderBuildProblemsPage } from '../../pages/build-problems-page.ts'

/** Anything with a Workers `fetch` handler, such as the Hono app. */
interface FetchHandler<E> {
  fetch(request: Request, env: E, context: ExecutionContext): Response | Promise<Response>
}

/**
 * Preview only (`npm run dev`): while the last build of the articles failed,
 * every request for an HTML document (a browser navigation, which accepts
 * `text/html`) gets the page listing the problems, with status 500 and no
 * caching; feeds and the stylesheet keep coming from the last good content.
 * Other handlers (`scheduled`) are kept. With no problems, the worker is
 * returned as it is. Deploys never have problems: the build fails them
 * instead (see scripts/build-content.ts).
 */
export function showBuildProblems<E, H extends FetchHandler<E>>(
  worker: H,
  problems: readonly Problem[],
): H {
  if (problems.length === 0) return worker
  const page = renderBuildProblemsPage(problems)
  return {
    ...worker,
    fetch(request: Request, env: E, context: ExecutionContext) {
      if (!(request.headers.get('Accept') ?? '').includes('text/html')) {
        return worker.fetch(request, env, context)
      }
      return new Response(request.method === 'HEAD' ? null : page, {
        status: 500,
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      })
    },
  }
}
