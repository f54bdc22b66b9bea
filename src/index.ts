import content from '../generated/content.js'
import { createApp } from './http/app.ts'
import { createScheduledHandler } from './publish/scheduled.ts'
import type { SiteEnv } from './site/site-config.ts'

const app = createApp({ content })

/**
 * The worker: the compiled articles from seeds/, served by the app, and the
 * Cron Trigger that publishes future-dated articles to caches and the hub.
 */
export default {
  fetch: app.fetch,
  scheduled: createScheduledHandler(content),
} satisfies ExportedHandler<SiteEnv>
