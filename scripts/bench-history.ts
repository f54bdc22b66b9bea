/**
 * `npm run bench:history`: what archives cost a cold isolate. The first
 * request for a feed now plans its history (renders the subscription
 * document in every format, fewer items until it fits the byte budget)
 * before rendering; the baseline, measured in the same run, renders the
 * newest FEED_ITEM_LIMIT items in every format, as the feeds did before
 * archives. Reports the ratio per feed, and the subscription documents' sizes.
 *
 *   npm run bench:history -- [--articles 2000] [--topics 20] [--budget 262144] [--rounds 5]
 */
import { parseArgs } from 'node:util'
import { compileContent } from '../src/build/content/compile-content.ts'
import { ARCHIVE_PAGE_SIZE } from '../src/build/prerender/feed-scope.ts'
import type { CompiledArticle } from '../src/contract/compiled.ts'
import { fitCurrentCount, planFeedHistory, subscriptionPage } from '../src/feeds/feed-history.ts'
import { buildFeedModel, type FeedSource } from '../src/feeds/feed-model.ts'
import { renderFeed } from '../src/feeds/render-feed.ts'
import { DEFAULT_SITE } from '../src/site/site-config.ts'
import { FEED_FORMATS, type FeedScope } from '../src/site/urls.ts'

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    topics: { type: 'string', default: '20' },
    budget: { type: 'string', default: String(DEFAULT_SITE.feedByteBudget) },
    rounds: { type: 'string', default: '5' },
  },
})
const articleCount = Number(values.articles)
const topicCount = Number(values.topics)
const site = { ...DEFAULT_SITE, feedByteBudget: Number(values.budget) }
const ORIGIN = 'https://news.example.com'
const encoder = new TextEncoder()

/** A deterministic corpus over 24 months; every tenth article is long (about 10 kB). */
function corpus(): CompiledArticle[] {
  const start = Date.parse('2023-01-01T00:00:00Z')
  const span = 730 * 86_400_000
  const files = Array.from({ length: articleCount }, (_, i) => {
    const date = new Date(start + Math.floor((span * i) / articleCount)).toISOString()
    const topics = [`Topic ${i % topicCount}`, `Topic ${(i * 7 + 3) % topicCount}`]
    const body = `Paragraph ${i} with <b>markup</b> & entities. `.repeat(i % 10 === 0 ? 200 : 12)
    const text = `---\ntitle: Story ${i}\ndate: ${date}\ntopics: [${topics.join(', ')}]\n---\n${body}\n`
    return { path: `a/${i}.md`, bytes: encoder.encode(text) }
  })
  const result = compileContent(files)
  if (!result.ok) throw new Error('[bench] the corpus did not compile')
  return result.content.articles
}

function renderAll(source: FeedSource): number {
  const model = buildFeedModel(site, ORIGIN, source)
  return Math.max(...FEED_FORMATS.map((f) => encoder.encode(renderFeed(model, f)).byteLength))
}

function baseline(scope: FeedScope, articles: readonly CompiledArticle[]): number {
  return renderAll({ scope, articles })
}

function withHistory(scope: FeedScope, articles: readonly CompiledArticle[]): number {
  const count = fitCurrentCount(articles.length, site.feedItemLimit, (n) => {
    const history = planFeedHistory(articles, n, { pageSize: ARCHIVE_PAGE_SIZE })
    return (
      renderAll({ scope, articles: history.current, page: subscriptionPage(history) }) <=
      site.feedByteBudget
    )
  })
  const history = planFeedHistory(articles, count, { pageSize: ARCHIVE_PAGE_SIZE })
  return renderAll({ scope, articles: history.current, page: subscriptionPage(history) })
}

function time(run: () => void): number {
  const started = process.hrtime.bigint()
  run()
  return Number(process.hrtime.bigint() - started) / 1e6
}

const articles = corpus()
const feeds: { name: string; scope: FeedScope; articles: readonly CompiledArticle[] }[] = [
  { name: 'site', scope: { kind: 'site' }, articles },
  ...Array.from({ length: 3 }, (_, t) => ({
    name: `topic-${t}`,
    scope: { kind: 'topic', slug: `topic-${t}` } as FeedScope,
    articles: articles.filter((a) => a.topics.some((topic) => topic.slug === `topic-${t}`)),
  })),
]
console.log(
  `[bench:history] ${articles.length} articles, ${topicCount} topics, budget ${site.feedByteBudget} B, limit ${site.feedItemLimit}`,
)
console.log('feed       baseline ms  history ms  ratio  largest subscription document')
for (const feed of feeds) {
  const base: number[] = []
  const hist: number[] = []
  let bytes = 0
  // Alternate which goes first, so warm-up and GC fall on both.
  for (let round = 0; round < Number(values.rounds); round++) {
    const a = () => base.push(time(() => baseline(feed.scope, feed.articles)))
    const b = () => hist.push(time(() => (bytes = withHistory(feed.scope, feed.articles))))
    if (round % 2 === 0) {
      a()
      b()
    } else {
      b()
      a()
    }
  }
  const median = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!
  const [mb, mh] = [median(base), median(hist)]
  console.log(
    `${feed.name.padEnd(10)} ${mb.toFixed(2).padStart(11)} ${mh.toFixed(2).padStart(11)} ${(mh / mb).toFixed(2).padStart(6)}  ${bytes} B`,
  )
}
