import { createExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../../src/index.ts'
import {
  allowLiveReload,
  contentSecurityPolicy,
  LIVE_RELOAD_VARIABLE,
} from '../../../src/worker/http/live-reload.ts'
import { HTML_CONTENT_SECURITY_POLICY } from '../../../src/worker/http/respond.ts'

/**
 * The pages' Content-Security-Policy stays strict unless `npm run dev` names
 * the live-reload script's hash; then it allows that script and its
 * WebSocket, and nothing else. The browser test (test/e2e/live-reload.test.ts)
 * proves the page really reloads.
 */

const HASH = 'sha256-g5a3SrOYIecCloZ8S7M4xdT1pbYi6e7mjHrmwphRxfE='
const ORIGIN = 'http://localhost:8787'

describe('the live-reload policy', () => {
  it('is the strict policy without a hash, or with anything that is not one', () => {
    expect(contentSecurityPolicy(undefined)).toBe(HTML_CONTENT_SECURITY_POLICY)
    expect(contentSecurityPolicy('')).toBe(HTML_CONTENT_SECURITY_POLICY)
    expect(contentSecurityPolicy("'unsafe-inline'")).toBe(HTML_CONTENT_SECURITY_POLICY)
    expect(contentSecurityPolicy(`${HASH}; script-src *`)).toBe(HTML_CONTENT_SECURITY_POLICY)
  })

  it('adds exactly the script hash and a same-origin connection', () => {
    const policy = contentSecurityPolicy(HASH)
    expect(policy).toBe(
      `${HTML_CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' '${HASH}'`)}; connect-src 'self'`,
    )
    expect(policy).not.toContain('unsafe')
  })
})

describe('the deployed worker', () => {
  it('sends the strict policy: its environment has no live-reload hash', async () => {
    expect((env as unknown as Record<string, unknown>)[LIVE_RELOAD_VARIABLE]).toBeUndefined()
    for (const path of ['/', '/topics/', '/rss.xml', '/no-such-page']) {
      const response = await exports.default.fetch(`${ORIGIN}${path}`, {
        headers: {
          Accept: 'text/html',
          'Sec-Fetch-Mode': 'navigate',
          'Sec-Fetch-Dest': 'document',
        },
      })
      await response.arrayBuffer()
      expect(response.headers.get('content-security-policy'), path).toBe(
        HTML_CONTENT_SECURITY_POLICY,
      )
    }
  })

  it('allows live reload on every page when npm run dev names the hash', async () => {
    const dev = { ...env, [LIVE_RELOAD_VARIABLE]: HASH }
    for (const path of ['/', '/topics/', '/no-such-page']) {
      const response = await worker.fetch(
        new Request(`${ORIGIN}${path}`, { headers: { Accept: 'text/html' } }),
        dev,
        createExecutionContext(),
      )
      await response.arrayBuffer()
      expect(response.headers.get('content-security-policy'), path).toBe(
        contentSecurityPolicy(HASH),
      )
    }
  })

  it('leaves responses without a policy alone', async () => {
    const json = {
      fetch: async (_request: Request, _env: Record<string, string>, _ctx: ExecutionContext) =>
        new Response('{}', { headers: { 'Content-Type': 'application/json' } }),
    }
    const handler = allowLiveReload(json)
    const response = await handler.fetch(
      new Request(ORIGIN),
      { [LIVE_RELOAD_VARIABLE]: HASH },
      createExecutionContext(),
    )
    expect(response.headers.has('content-security-policy')).toBe(false)
  })
})
