import content from '../generated/content.js'
import topics from '../generated/content-topics.bin'
import problems from '../generated/problems.js'
import { openSiteIndex } from './contract/site-index-module.ts'
import { createScheduledHandler } from './publish/scheduled.ts'
import type { SiteEnv } from './site/site-config.ts'
import { createApp } from './worker/http/app.ts'
import { showBuildProblems } from './worker/http/build-problems.ts'
import { allowLiveReload } from './worker/http/live-reload.ts'
import { refuseTunnel } from './worker/http/refuse-tunnel.ts'
import { warmUp, warmUpPaths } from './worker/http/warm-up.ts'

const index = openSiteIndex(content, topics)
const app = createApp({ index })

/**
 * The worker: the site the content build prerendered from seeds/ (its small
 * index here, every document in the static assets), served by the app, and
 * the Cron Trigger that purges caches and pings the hub when future-dated
 * articles become due. CONNECT gets no tunnel (see refuse-tunnel.ts).
 * The problems list is empty except in `npm run dev` after a failed build;
 * only `npm run dev` names a live-reload script for the pages' CSP to allow.
 */
const worker = allowLiveReload(
  showBuildProblems(
    {
      fetch: app.fetch,
      connect: refuseTunnel,
      scheduled: createScheduledHandler(index),
    } satisfies ExportedHandler<SiteEnv>,
    problems,
  ),
)

// Compiles the request path now, at startup, rather than on the first request (see warm-up.ts);
// best effort: a failure costs the first request its warmth, never the worker its start.
warmUp(
  (request, env) => worker.fetch!(request, env as SiteEnv, undefined as never),
  warmUpPaths(index, Date.now()),
).catch(() => undefined)

export default worker
