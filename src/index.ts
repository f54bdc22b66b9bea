import content from '../generated/content.js'
import problems from '../generated/problems.js'
import { createScheduledHandler } from './publish/scheduled.ts'
import type { SiteEnv } from './site/site-config.ts'
import { createApp } from './worker/http/app.ts'
import { showBuildProblems } from './worker/http/build-problems.ts'
import { refuseTunnel } from './worker/http/refuse-tunnel.ts'

const app = createApp({ content })

/**
 * The worker: the compiled articles from seeds/, served by the app, and the
 * Cron Trigger that publishes future-dated articles to caches and the hub.
 * CONNECT gets no tunnel (see refuse-tunnel.ts).
 * The problems list is empty except in `npm run dev` after a failed build.
 */
export default showBuildProblems(
  {
    fetch: app.fetch,
    connect: refuseTunnel,
    scheduled: createScheduledHandler(content),
  } satisfies ExportedHandler<SiteEnv>,
  problems,
)
