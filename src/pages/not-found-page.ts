import type { SiteConfig } from '../site/site-config.ts'
import { homeUrl, topicsUrl } from '../site/urls.ts'
import { markup } from './html.ts'
import { renderLayout } from './layout.ts'

/** The page for an address that names nothing. It never repeats the address back. */
export function renderNotFoundPage(site: SiteConfig, origin: string): string {
  return renderLayout({
    site,
    origin,
    title: 'Page not found',
    description: 'There is nothing at this address.',
    canonical: homeUrl(origin),
    feeds: [{ label: 'All articles', scope: { kind: 'site' } }],
    main: markup`<h1>Page not found</h1>
<p>There is nothing at this address. The <a href="${homeUrl(origin)}">latest articles</a> and the <a href="${topicsUrl(origin)}">list of topics</a> are good places to look.</p>`,
  })
}
