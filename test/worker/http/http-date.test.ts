import { describe, expect, it } from 'vitest'
import { parseHttpDate } from '../../../src/worker/http/http-date.ts'

/** RFC 9110 section 5.6.7: the three forms of one instant, and what is not an HTTP-date. */

const NOW = Date.UTC(2026, 10, 29) / 1000
const INSTANT = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000

describe('parseHttpDate', () => {
  it('reads the preferred form and both obsolete forms of the same instant', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(INSTANT)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(INSTANT)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(INSTANT)
    expect(parseHttpDate('Sun Nov 16 08:49:37 1994', NOW)).toBe(INSTANT + 10 * 86_400)
  })

  it('reads a two-digit year more than 50 years ahead as the past century', () => {
    // From 2026, 2077 is 51 years ahead and 2076 only 50.
    expect(parseHttpDate('Saturday, 01-Jan-77 00:00:00 GMT', NOW)).toBe(Date.UTC(1977, 0, 1) / 1000)
    expect(parseHttpDate('Wednesday, 01-Jan-76 00:00:00 GMT', NOW)).toBe(
      Date.UTC(2076, 0, 1) / 1000,
    )
  })

  it('refuses what is not an HTTP-date', () => {
    for (const value of [
      '',
      'yesterday',
      '-1',
      '1994-11-06T08:49:37Z',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'sun, 06 nov 1994 08:49:37 gmt',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 06 Nov 1994 08:60:00 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
      'Sunday, 06-Nov-1994 08:49:37 GMT',
      'Sun Nov 6 08:49:37 1994',
    ]) {
      expect(parseHttpDate(value, NOW), value).toBeUndefined()
    }
  })

  it('accepts a leap second', () => {
    expect(parseHttpDate('Wed, 31 Dec 2008 23:59:60 GMT', NOW)).toBe(
      Date.UTC(2008, 11, 31, 23, 59, 59) / 1000,
    )
  })
})
