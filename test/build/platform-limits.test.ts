import { describe, expect, it } from 'vitest'
import { assetCountWarning, WORKERS_LIMITS } from '../../src/build/platform-limits.ts'

describe('the Workers limits a build checks its output against', () => {
  it('says nothing while a Free plan version holds every asset file', () => {
    expect(assetCountWarning(0, 0)).toBeUndefined()
    expect(assetCountWarning(WORKERS_LIMITS.assetFiles, 15_000)).toBeUndefined()
  })

  it('warns past 20,000 files, with how many are pictures and what to do', () => {
    expect(assetCountWarning(23_456, 21_000)).toBe(
      "warning: the static assets are 23,456 files, 21,000 of them the articles' pictures: more than the 20,000 files a Worker version may upload on the Workers Free plan (a paid plan allows 100,000), so `wrangler deploy` would refuse them. Link pictures from another server by their https URLs (they are linked as they are), or deploy on a plan that allows as many",
    )
    expect(assetCountWarning(100_001, 90_000)).toContain(
      'on the Workers Free plan and the 100,000 of a paid plan too',
    )
  })
})
