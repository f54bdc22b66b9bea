import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/app.ts'
import { compileFixture, markdownArticle, NOW } from '../../support/fixtures.ts'

const content = compileFixture({
  'harbour.md': markdownArticle({
    title: 'Harbour reopens at last',
    date: '2024-03-01',
    redirect_from: ['/articles/harbour-reopens/', 'harbor-reopens'],
  }),
})

describe('moved articles', () => {
  const app = testApp(content, { now: NOW })

  it('answer 301 from every old URL to the new one', async () => {
    for (const old of ['/articles/harbour-reopens/', '/articles/harbor-reopens/']) {
      const response = await app.fetch(old)
      expect(response.status, old).toBe(301)
      // Path-only, like every redirect: a Location never names a host (see redirects.ts).
      expect(response.headers.get('location')).toBe('/articles/harbour-reopens-at-last/')
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=300/)
    }
    expect((await app.fetch('/articles/harbour-reopens-at-last/')).status).toBe(200)
    expect((await app.fetch('/articles/never-was/')).status).toBe(404)
  })
})
