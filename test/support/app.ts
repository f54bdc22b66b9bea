import type { CompiledContent } from '../../src/contract/compiled.ts'
import type { SiteEnv } from '../../src/site/site-config.ts'
import { createApp } from '../../src/worker/http/app.ts'

export const SITE_ENV: SiteEnv = {
  SITE_URL: 'https://news.example.com',
  SITE_TITLE: 'Example Times',
  SITE_DESCRIPTION: 'Stories from the example coast.',
  SITE_AUTHOR: 'Example Times Desk',
  SITE_LANGUAGE: 'en-GB',
}

/** The worker app over some content, with a clock the test controls. */
export function testApp(content: CompiledContent, clock: { now: number }, env: SiteEnv = SITE_ENV) {
  const app = createApp({ content, now: () => clock.now })
  return {
    fetch(path: string, init: RequestInit = {}): Promise<Response> {
      return Promise.resolve(app.request(`https://news.example.com${path}`, init, env))
    },
    async text(path: string, init: RequestInit = {}): Promise<string> {
      const response = await app.request(`https://news.example.com${path}`, init, env)
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
      return response.text()
    },
  }
}
