import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../../src/index.ts'
import { checkResponse, type FuzzRequest, toRequest } from '../../support/http-invariants.ts'
import regressions from './fuzz-regressions.json'

/**
 * Requests that once broke an invariant (found by http-fuzz.test.ts, shrunk
 * by fast-check) or that the issue names, replayed on every run through the
 * worker's fetch handler and through the runtime, with the status each must get.
 * Raw ones (issue 14's reproductions) go to the handler only.
 */

interface Regression {
  why: string
  status: number
  request: FuzzRequest
}

describe('fuzz regressions', () => {
  for (const { why, status, request } of regressions as Regression[]) {
    it(`${why}: ${status}, and every invariant holds`, async () => {
      const direct = await worker.fetch(toRequest(request), env)
      expect(direct.status).toBe(status)
      expect(await checkResponse(request, direct)).toEqual([])
      // A raw target or Host (issue 14) exists only as workerd hands it to the handler;
      // dispatching it would normalise it. test/scripts/worker-raw-http.test.ts sends it over a socket.
      if (request.raw) return
      const dispatched = await exports.default.fetch(toRequest(request), { redirect: 'manual' })
      expect(dispatched.status).toBe(status)
      expect(await checkResponse(request, dispatched)).toEqual([])
    })
  }
})
