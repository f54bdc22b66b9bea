import type { PublishedView } from '../site/published.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { homeUrl } from '../site/urls.ts'
import { renderArticleList } from './article-list.ts'
import { markup } from './html.ts'
import { renderLayout } from './layout.ts'
import { renderTopicList, TOPICS_PER_PAGE, topicEntry } from './topic-pages.ts'

/** How many articles the home page lists; older ones are reached through topics and feeds. */
export const HOME_ARTICLE_COUNT = 30

/** The home page: newest articles and every topic. */
export function renderHomePage(site: SiteConfig, origin: string, view: PublishedView): string {
  const main = markup`<h1>${site.title}</h1>
<p class="lede">${site.description}</p>
<section aria-labelledby="latest-heading">
<h2 id="latest-heading">Latest articles</h2>
${renderArticleList(origin, view.articles.slice(0, HOME_ARTICLE_COUNT), { headingLevel: 3 })}
</section>
<section aria-labelledby="topics-heading">
<h2 id="topics-heading">Topics</h2>
${renderTopicList(origin, view.topics.slice(0, TOPICS_PER_PAGE).map(topicEntry))}
</section>`
  return renderLayout({
    site,
    origin,
    description: site.description,
    canonical: homeUrl(origin),
    feeds: [{ label: 'All articles', scope: { kind: 'site' } }],
    main,
  })
}
