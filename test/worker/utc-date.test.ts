import { describe, expect, it } from 'vitest'
import { imfFixdate, isoDate } from '../../src/worker/utc-date.ts'

// Times that stress the calendar: the epoch, leap days, century years (2000
// is a leap year, 1900 and 2100 are not), the ends of the 4-digit range, and
// a spread of times between, with milliseconds.
const EDGES = [
  '1970-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '2000-02-29T12:00:00.000Z',
  '1900-02-28T23:59:59.000Z',
  '1900-03-01T00:00:00.000Z',
  '2100-02-28T00:00:00.000Z',
  '2100-03-01T00:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2026-11-29T11:14:54.123Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
].map((text) => Date.parse(text))

function spread(count: number): number[] {
  // A fixed linear congruential sequence: the same times on every run.
  let state = 20_261_129
  const low = Date.parse('0001-01-01T00:00:00Z')
  const high = Date.parse('9999-12-31T23:59:59Z')
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return Math.floor(low + (state / 2 ** 31) * (high - low))
  })
}

describe('dates written without Date', () => {
  it('are what Date#toUTCString writes, to the second', () => {
    for (const ms of [...EDGES, ...spread(20_000)]) {
      const seconds = Math.floor(ms / 1000)
      expect(imfFixdate(seconds), new Date(ms).toISOString()).toBe(
        new Date(seconds * 1000).toUTCString(),
      )
    }
  })

  it('are what Date#toISOString writes, to the millisecond', () => {
    for (const ms of [...EDGES, ...spread(20_000)]) {
      expect(isoDate(ms)).toBe(new Date(ms).toISOString())
    }
  })
})
