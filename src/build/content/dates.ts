/**
 * Dates as authors write them. Parsing is strict: a date that JavaScript would
 * silently roll over (February 30th becoming March 1st) is an error here.
 */

/** Either a date or a reason it is not one. */
export type DateResult = { ok: true; date: Date } | { ok: false; reason: string }

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/** 03/04/2024, 3.4.24, 03-04-2024: 3 April in most of the world, March 4th in the United States. */
const NUMERIC_DATE = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

function monthIndex(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '')
  if (lower.length < 3) return -1
  return MONTHS.findIndex(
    (month) => month.startsWith(lower) || (lower === 'sept' && month === 'september'),
  )
}

/**
 * The earliest year an article may carry. Earlier days are days of the
 * calendar, but no news article is that old: such a year is a typo, and
 * feed readers sort and show those dates badly.
 */
export const EARLIEST_YEAR = 1000

/** The day at 00:00 UTC, or a reason there is no such day or it is too early. */
function utcDate(year: number, month: number, day: number, value: string): DateResult {
  // setUTCFullYear, not Date.UTC, which reads the years 0-99 as 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: `"${value}" is not a day of the calendar` }
  }
  if (year < EARLIEST_YEAR) {
    return {
      ok: false,
      reason: `"${value}" is a day of the calendar, but before the year ${EARLIEST_YEAR}: no article is that old; check the year`,
    }
  }
  return { ok: true, date }
}

/**
 * Parses an ISO 8601 date (`2024-10-22`, meaning 00:00 UTC) or date-time
 * with a zone (`2024-10-22T09:30:00+03:00`).
 */
export function parseIsoDate(value: string): DateResult {
  const match = ISO_DATE.exec(value.trim())
  if (!match && NUMERIC_DATE.test(value.trim())) {
    return {
      ok: false,
      reason: `"${value}" is ambiguous: the day and the month could be either way round`,
    }
  }
  if (!match) return { ok: false, reason: `"${value}" is not an ISO 8601 date` }
  const [, y, mo, d, h, mi, s, fraction, zone] = match
  const result = utcDate(Number(y), Number(mo), Number(d), value)
  if (!result.ok || h === undefined) return result
  const day = result.date
  if (zone === undefined) {
    return { ok: false, reason: `"${value}" has a time but no time zone` }
  }
  const hours = Number(h)
  const minutes = Number(mi)
  const seconds = Number(s ?? 0)
  if (hours > 23 || minutes > 59 || seconds > 59) {
    return { ok: false, reason: `"${value}" is not a time of day` }
  }
  let offsetMinutes = 0
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offsetHours = Number(digits.slice(0, 2))
    const offsetMins = Number(digits.slice(2))
    if (offsetHours > 14 || offsetMins > 59) {
      return { ok: false, reason: `"${value}" has an impossible time-zone offset` }
    }
    offsetMinutes = sign * (offsetHours * 60 + offsetMins)
  }
  const millis = Number(`0.${fraction ?? '0'}`) * 1000
  const time =
    day.getTime() +
    ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 +
    Math.floor(millis)
  return { ok: true, date: new Date(time) }
}

/**
 * Parses a date line in the plain-text layout: `October 22, 2024`,
 * `Oct. 22, 2024`, `Tuesday, October 22, 2024`, `22 October 2024` or an ISO
 * date. Returns undefined when the line is not a date at all.
 */
export function parseDateLine(line: string): DateResult | undefined {
  const trimmed = line
    .trim()
    .replace(/^(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?\.?,?\s+/i, '')
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return parseIsoDate(trimmed)
  const monthFirst = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(trimmed)
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?\s+(\d{4})$/.exec(trimmed)
  const parts = monthFirst
    ? { month: monthFirst[1]!, day: monthFirst[2]!, year: monthFirst[3]! }
    : dayFirst
      ? { month: dayFirst[2]!, day: dayFirst[1]!, year: dayFirst[3]! }
      : undefined
  if (!parts) return undefined
  const month = monthIndex(parts.month)
  if (month < 0) return undefined
  return utcDate(Number(parts.year), month + 1, Number(parts.day), line.trim())
}
