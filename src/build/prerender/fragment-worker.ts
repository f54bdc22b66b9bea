/**
 * A worker thread of the content build (see render-fragments.ts): renders
 * the item fragments of the articles it is sent, as feeds carry them.
 */
import { workerData } from 'node:worker_threads'
import type { CompiledArticle } from '../../contract/compiled.ts'
import type { SiteConfig } from '../../site/site-config.ts'
import { answerBatches } from '../thread-batches.ts'
import { renderItemFragments } from './fragments.ts'

const { site, origin } = workerData as { site: SiteConfig; origin: string }

answerBatches((carried: CompiledArticle) => renderItemFragments(site, origin, carried))
